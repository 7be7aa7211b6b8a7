-- materialize/90_serving/30_prediction_message_quality.reference.sql
--
-- Teaching point: the reference engine's prediction_message_quality: a plain view over the
--                 same portable query, evaluated when queried, at the time in `lab.now`.
-- Grain:          one row per window_end.
-- Reads:          50_metrics/40_prediction_message_windows.sql.
-- Read by:        tests.
-- Runs only in:   `--target reference`.
-- Why not a Postgres materialized view? It would freeze mz_now() at its last refresh.

create or replace view prediction_message_quality as
select * from prediction_message_windows;
