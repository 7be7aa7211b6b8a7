-- materialize/90_serving/90_monitoring_alerts.reference.sql
--
-- Teaching point: the reference engine's `monitoring_alerts`: a plain view over the same
--                 portable query, evaluated when queried, at the time in `lab.now`.
-- Grain:          one row per (window_end, rule, subject) that fires.
-- Reads:          50_metrics/91_alert_window_firings.sql.
-- Read by:        `npm run evaluate` and the tests: `set lab.now = '...'; select * from
--                 monitoring_alerts`.
-- Runs only in:   `--target reference` (tag `reference`).
-- Why not a Postgres materialized view? It would freeze mz_now() at its last refresh.

create or replace view monitoring_alerts as
select rule_name, window_end, value, threshold, signal, subject
from alert_window_firings;
