-- materialize/90_serving/90_monitoring_alerts.materialize.sql
--
-- Teaching point: alerts are one more maintained view: Materialize keeps the rows of every
--                 rule that fires up to date as windows fill and as a user UPDATEs a rule;
--                 a follower (SUBSCRIBE, or a poll) sees an alert within about a second.
-- Grain:          one row per (window_end, rule, subject) that fires, kept 10 minutes.
-- Reads:          50_metrics/91_alert_window_firings.sql.
-- Read by:        the dashboard's alert cards, `npm run alerts`, the workshop.
-- Runs only in:   `--target materialize`; the reference engine gets a plain view
--                 (90_monitoring_alerts.reference.sql).
-- Why not a plain view? Every reader would recompute every signal.

create materialized view if not exists monitoring_alerts
    in cluster :"cluster"
    as select rule_name, window_end, value, threshold, signal, subject
    from alert_window_firings;
