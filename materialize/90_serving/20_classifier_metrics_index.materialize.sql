-- materialize/90_serving/20_classifier_metrics_index.materialize.sql
--
-- Teaching point: a materialized view is stored durably; an index keeps it in memory in
--                 one cluster, so the dashboard's refresh every second is served from memory.
--                 Index keys serve equality lookups: the dashboard asks for one bucket at a
--                 time.
-- Grain:          one index.
-- Reads:          90_serving/10_classifier_metrics.materialize.sql.
-- Read by:        Metabase's queries on classifier_metrics in the same cluster.
-- Runs only in:   `--target materialize`.
-- Why not index window_end? Materialize indexes do not serve range scans: a time range
--                 over an in-memory index is a scan of the index either way.

create index if not exists classifier_metrics_by_bucket
    in cluster :"cluster"
    on classifier_metrics (experiment_bucket);
