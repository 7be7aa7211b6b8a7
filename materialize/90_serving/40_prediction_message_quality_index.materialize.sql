-- materialize/90_serving/40_prediction_message_quality_index.materialize.sql
--
-- Teaching point: an index keeps the rejected-message counts in memory in the cluster the
--                 dashboard queries, like classifier_metrics_by_bucket.
-- Grain:          one index.
-- Reads:          90_serving/30_prediction_message_quality.materialize.sql.
-- Read by:        Metabase's card "Rejected prediction messages".
-- Runs only in:   `--target materialize`.
-- Why not index a bucket, as classifier_metrics_by_bucket does? This view has no bucket;
--                 window_end is its only key (at most 600 rows, one per visible window).

create index if not exists prediction_message_quality_by_window
    in cluster :"cluster"
    on prediction_message_quality (window_end);
