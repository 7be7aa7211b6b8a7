-- materialize/90_serving/70_feature_drift.materialize.sql
--
-- Teaching point: serving is a separate decision from computing (as for
--                 classifier_metrics): the query lives in the portable view
--                 feature_drift_window_metrics; here Materialize keeps it up to date as a
--                 materialized view, readable from any cluster.
-- Grain:          as feature_drift_window_metrics.
-- Reads:          50_metrics/ (feature_drift_window_metrics).
-- Read by:        the dashboard, the workshop and the tests.
-- Runs only in:   `--target materialize` (tag `materialize`). The reference engine gets a
--                 plain view instead (70_feature_drift.reference.sql).
-- Why not a materialized view per signal's intermediate step? Only what a reader queries
--                 is served; the layers below are plain views that Materialize inlines.

create materialized view if not exists feature_drift
    in cluster :"cluster"
    as select * from feature_drift_window_metrics;
