-- materialize/90_serving/71_feature_drift_index.materialize.sql
--
-- Teaching point: an index keeps feature_drift in memory; the dashboard asks for one
--                 feature at a time.
-- Grain:          one index.
-- Reads:          90_serving/70_feature_drift.materialize.sql.
-- Read by:        Metabase's queries on feature_drift.
-- Runs only in:   `--target materialize`.
-- Why not index window_end? Materialize indexes serve equality, not range scans.

create index if not exists feature_drift_by_feature
    in cluster :"cluster"
    on feature_drift (feature);
