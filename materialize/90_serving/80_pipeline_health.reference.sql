-- materialize/90_serving/80_pipeline_health.reference.sql
--
-- Teaching point: the reference engine's `pipeline_health`: a plain view over the same
--                 portable query, evaluated when queried, at the time in `lab.now`.
-- Grain:          one row per window_end.
-- Reads:          50_metrics/81_pipeline_health_window_metrics.sql.
-- Read by:        tests and `npm run bench:sql`: `set lab.now = '...'; select * from pipeline_health`.
-- Runs only in:   `--target reference` (tag `reference`).
-- Why not a Postgres materialized view? It would freeze mz_now() at its last refresh.

create or replace view pipeline_health as
select * from pipeline_health_window_metrics;
