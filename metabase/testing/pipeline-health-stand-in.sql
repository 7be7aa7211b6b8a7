-- metabase/testing/pipeline-health-stand-in.sql
--
-- Teaching point: none; a test fixture. Something named pipeline_health for the provisioning
--                 test's cards when the lab's migrations have not been applied. Same columns
--                 and types as the real view; made-up numbers.
-- Grain:          one row per window_end, as the real view.
-- Reads:          nothing (constant rows).
-- Read by:        test/materialize/metabase-provision.test.ts, which creates it only when no
--                 pipeline_health exists and drops it afterwards.
-- Why not the real migrations? They need Postgres and Kafka sources too.
-- Why far-future windows? The cards keep only windows with mz_now() <= window_end + 10 minutes.

create view pipeline_health as
select * from (
    values
        (timestamptz '2100-01-01 00:01:00+00', 4800::bigint, 4800::bigint, 1.0::float8,
         4801::bigint, 1::bigint, 0::bigint, 27.5::float8, 50.0::float8, 0.0::float8, 0.0::float8,
         2000::bigint, 0::bigint, 0.0::float8)
) as stand_in (
    window_end, leads, scored_leads, prediction_coverage,
    prediction_messages, duplicate_messages, rejected_messages,
    mean_prediction_latency_ms, max_prediction_latency_ms,
    mean_delivery_delay_ms, max_delivery_delay_ms,
    conversions, conversions_after_horizon, late_conversion_share
);
