-- materialize/90_serving/50_model_quality_metrics.reference.sql
--
-- Teaching point: the reference engine's `model_quality_metrics`: a plain view over the
--                 same portable query, evaluated when queried, at the time in `lab.now`.
-- Grain:          as model_quality_window_metrics.
-- Reads:          50_metrics/ (model_quality_window_metrics).
-- Read by:        tests: `set lab.now = '...'; select * from model_quality_metrics`.
-- Runs only in:   `--target reference` (tag `reference`).
-- Why not a Postgres materialized view? It would freeze mz_now() at its last refresh.

create or replace view model_quality_metrics as
select * from model_quality_window_metrics;
