-- materialize/90_serving/52_model_quality_index.materialize.sql
--
-- Teaching point: as for classifier_metrics, an index keeps each served view in memory in
--                 one cluster; keys serve the dashboard's equality lookups (one bucket).
-- Grain:          two indexes.
-- Reads:          90_serving/50_model_quality_metrics.materialize.sql,
--                 90_serving/51_model_quality_reliability.materialize.sql.
-- Read by:        Metabase's queries on model_quality_metrics and model_quality_reliability.
-- Runs only in:   `--target materialize`.
-- Why not index window_end? Materialize indexes serve equality, not range scans.

create index if not exists model_quality_metrics_by_bucket
    in cluster :"cluster"
    on model_quality_metrics (experiment_bucket);

create index if not exists model_quality_reliability_by_bucket
    in cluster :"cluster"
    on model_quality_reliability (experiment_bucket);
