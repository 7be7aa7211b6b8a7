-- materialize/90_serving/50_model_quality_metrics.materialize.sql
--
-- Teaching point: serving is a separate decision from computing (as for
--                 classifier_metrics): the query lives in the portable view
--                 model_quality_window_metrics; here Materialize keeps it up to date as a
--                 materialized view, readable from any cluster.
-- Grain:          as model_quality_window_metrics.
-- Reads:          50_metrics/ (model_quality_window_metrics).
-- Read by:        the dashboard, the workshop and the tests.
-- Runs only in:   `--target materialize` (tag `materialize`). The reference engine gets a
--                 plain view instead (50_model_quality_metrics.reference.sql).
-- Why not a materialized view per signal's intermediate step? Only what a reader queries
--                 is served; the layers below are plain views that Materialize inlines.

create materialized view if not exists model_quality_metrics
    in cluster :"cluster"
    as select * from model_quality_window_metrics;
