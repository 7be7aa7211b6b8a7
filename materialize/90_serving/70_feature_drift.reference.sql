-- materialize/90_serving/70_feature_drift.reference.sql
--
-- Teaching point: the reference engine's `feature_drift`: a plain view over the
--                 same portable query, evaluated when queried, at the time in `lab.now`.
-- Grain:          as feature_drift_window_metrics.
-- Reads:          50_metrics/ (feature_drift_window_metrics).
-- Read by:        tests: `set lab.now = '...'; select * from feature_drift`.
-- Runs only in:   `--target reference` (tag `reference`).
-- Why not a Postgres materialized view? It would freeze mz_now() at its last refresh.

create or replace view feature_drift as
select * from feature_drift_window_metrics;
