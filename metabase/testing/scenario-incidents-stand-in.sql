-- metabase/testing/scenario-incidents-stand-in.sql
--
-- Teaching point: none; a test fixture. Something named scenario_incidents for the provisioning
--                 test's cards when Materialize has no Postgres source (the real table is
--                 replicated from postgres/15_monitoring_tables.sql). Same columns and types.
-- Grain:          one row per injected incident of a run.
-- Reads:          nothing (constant rows).
-- Read by:        test/materialize/metabase-provision.test.ts, which creates it only when no
--                 scenario_incidents exists and drops it afterwards.
-- Why not the real migrations? They need Postgres and Kafka sources too.

create view scenario_incidents as
select * from (
    values
        ('stand-in'::text, 1::integer, 'model_decay'::text, timestamptz '2026-01-01 00:05:00+00',
         timestamptz '2026-01-01 00:09:00+00', '{"model_noise_sd": 2.5}'::jsonb)
) as stand_in (run_id, incident_id, kind, starts_at, ends_at, params);
