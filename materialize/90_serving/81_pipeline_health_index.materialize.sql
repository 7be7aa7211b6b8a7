-- materialize/90_serving/81_pipeline_health_index.materialize.sql
--
-- Teaching point: as for ab_test_metrics, an index keeps the one-row-per-window view in
--                 memory in the serving cluster, keyed by its only key.
-- Grain:          one index.
-- Reads:          90_serving/80_pipeline_health.materialize.sql.
-- Read by:        Metabase's queries on pipeline_health in the same cluster.
-- Runs only in:   `--target materialize`.
-- Why not leave it unindexed? Each refresh would read the view from storage.

create index if not exists pipeline_health_by_window_end
    in cluster :"cluster"
    on pipeline_health (window_end);
