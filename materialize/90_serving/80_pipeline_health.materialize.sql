-- materialize/90_serving/80_pipeline_health.materialize.sql
--
-- Teaching point: the stream's own health, kept up to date by Materialize beside the model's
--                 metrics: coverage, duplicates, latency and late conversions per minute.
-- Grain:          as pipeline_health_window_metrics: one row per window_end (1-minute
--                 windows, hop 10 s, kept 10 minutes: at most 60 rows).
-- Reads:          50_metrics/81_pipeline_health_window_metrics.sql.
-- Read by:        the dashboard's pipeline-health cards, the workshop and the tests.
-- Runs only in:   `--target materialize`; the reference engine gets a plain view
--                 (80_pipeline_health.reference.sql).
-- Why not a plain view? The dashboard refreshes every few seconds; a maintained view is
--                 read, not recomputed.

create materialized view if not exists pipeline_health
    in cluster :"cluster"
    as select * from pipeline_health_window_metrics;
