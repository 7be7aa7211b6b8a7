-- materialize/90_serving/10_classifier_metrics.reference.sql
--
-- Teaching point: the reference engine's `classifier_metrics`: a plain view over the same
--                 portable query, evaluated when queried, at the time in `lab.now`.
-- Grain:          one row per (window_end, experiment_bucket).
-- Reads:          50_metrics/20_classifier_window_metrics.sql.
-- Read by:        tests: `set lab.now = '...'; select * from classifier_metrics`.
-- Runs only in:   `--target reference` (tag `reference`).
-- Why not a Postgres materialized view? It would freeze mz_now() at its last refresh.

create or replace view classifier_metrics as
select * from classifier_window_metrics;
