-- materialize/90_serving/91_monitoring_alerts_index.materialize.sql
--
-- Teaching point: as for the other served views, an index keeps `monitoring_alerts` in
--                 memory in the serving cluster; the key serves lookups of one rule.
-- Grain:          one index.
-- Reads:          90_serving/90_monitoring_alerts.materialize.sql.
-- Read by:        the dashboard's alert cards and the alerts follower.
-- Runs only in:   `--target materialize`.
-- Why not index window_end? Materialize indexes serve equality, not range scans.

create index if not exists monitoring_alerts_by_rule
    in cluster :"cluster"
    on monitoring_alerts (rule_name);
