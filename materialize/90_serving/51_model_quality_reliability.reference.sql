-- materialize/90_serving/51_model_quality_reliability.reference.sql
--
-- Teaching point: the reference engine's `model_quality_reliability`: a plain view over the
--                 same portable query, evaluated when queried, at the time in `lab.now`.
-- Grain:          as model_quality_window_reliability.
-- Reads:          50_metrics/ (model_quality_window_reliability).
-- Read by:        tests: `set lab.now = '...'; select * from model_quality_reliability`.
-- Runs only in:   `--target reference` (tag `reference`).
-- Why not a Postgres materialized view? It would freeze mz_now() at its last refresh.

create or replace view model_quality_reliability as
select * from model_quality_window_reliability;
