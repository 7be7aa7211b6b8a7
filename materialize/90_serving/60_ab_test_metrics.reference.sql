-- materialize/90_serving/60_ab_test_metrics.reference.sql
--
-- Teaching point: the reference engine's `ab_test_metrics`: a plain view over the same
--                 portable query, evaluated when queried, at the time in `lab.now`.
-- Grain:          one row per window_end.
-- Reads:          50_metrics/62_ab_test_window_metrics.sql.
-- Read by:        tests and `npm run bench:sql`: `set lab.now = '...'; select * from ab_test_metrics`.
-- Runs only in:   `--target reference` (tag `reference`).
-- Why not a Postgres materialized view? It would freeze mz_now() at its last refresh.

create or replace view ab_test_metrics as
select * from ab_test_window_metrics;
