-- materialize/90_serving/10_classifier_metrics.materialize.sql
--
-- Teaching point: serving is a separate decision from computing. The whole query lives in
--                 the portable view classifier_window_metrics; here Materialize keeps it up
--                 to date as a materialized view, readable from any cluster (Metabase,
--                 SUBSCRIBE).
-- Grain:          as classifier_window_metrics: one row per (window_end, experiment_bucket).
-- Reads:          50_metrics/20_classifier_window_metrics.sql.
-- Read by:        the dashboard, the workshop and the tests.
-- Runs only in:   `--target materialize` (tag `materialize`). The reference engine gets a
--                 plain view instead (10_classifier_metrics.reference.sql), because Postgres
--                 must evaluate mz_now() when it is queried, not when the view is refreshed.
-- Why not the blog's `create materialized view ... as <the whole query>`? Keeping the query
--                 portable lets Postgres check Materialize's answers.

create materialized view if not exists classifier_metrics
    in cluster :"cluster"
    as select * from classifier_window_metrics;
