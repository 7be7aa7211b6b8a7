-- metabase/testing/monitoring-alerts-stand-in.sql
--
-- Teaching point: none; a test fixture. Something named monitoring_alerts for the provisioning
--                 test's cards when the lab's migrations have not been applied. Same columns,
--                 order and types as the real view; made-up values.
-- Grain:          one row per (window_end, rule_name, subject) that fires, as the real view.
-- Reads:          nothing (constant rows).
-- Read by:        test/materialize/metabase-provision.test.ts, which creates it only when no
--                 monitoring_alerts exists and drops it afterwards.
-- Why not the real migrations? They need Postgres and Kafka sources too.
-- Why a far-future window? It keeps the card's query cheap and valid; the card shows no row.

create view monitoring_alerts as
select * from (
    values
        ('roc_auc_control_low'::text, timestamptz '2100-01-01 00:01:00+00', 0.55::float8, 0.6::float8,
         'model_quality_metrics.roc_auc'::text, 'control'::text)
) as stand_in (rule_name, window_end, value, threshold, signal, subject);
