-- materialize/90_serving/60_ab_test_metrics.materialize.sql
--
-- Teaching point: the A/B comparison, kept up to date by Materialize as a materialized view
--                 over the portable query ab_test_window_metrics (as classifier_metrics is).
-- Grain:          as ab_test_window_metrics: one row per window_end (5-minute windows,
--                 hop 10 s, kept 10 minutes: at most 60 rows).
-- Reads:          50_metrics/62_ab_test_window_metrics.sql.
-- Read by:        the dashboard (uplift with its fixed-horizon 95 % interval, SRM χ²), the
--                 workshop and the tests.
-- Runs only in:   `--target materialize` (tag `materialize`); the reference engine gets a
--                 plain view (60_ab_test_metrics.reference.sql).
-- Why not serve ab_test_window_metrics as a plain view? Every dashboard refresh would then
--                 recompute five minutes of leads; the materialized view is maintained as
--                 leads mature and is read, not recomputed.

create materialized view if not exists ab_test_metrics
    in cluster :"cluster"
    as select * from ab_test_window_metrics;
