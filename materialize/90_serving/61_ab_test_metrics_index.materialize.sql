-- materialize/90_serving/61_ab_test_metrics_index.materialize.sql
--
-- Teaching point: an index keeps the materialized view in memory in the serving cluster, so
--                 the dashboard's refresh reads memory. ab_test_metrics has one row per
--                 window and no bucket column: the dashboard reads every row (at most 60),
--                 so the index key is the window's end, the only column it has.
-- Grain:          one index.
-- Reads:          90_serving/60_ab_test_metrics.materialize.sql.
-- Read by:        Metabase's queries on ab_test_metrics in the same cluster.
-- Runs only in:   `--target materialize`.
-- Why not leave it unindexed? A materialized view without an index is read from storage on
--                 every query: slower, and each refresh of the dashboard pays for it.

create index if not exists ab_test_metrics_by_window_end
    in cluster :"cluster"
    on ab_test_metrics (window_end);
