-- alerts/sql/firing-alerts.sql
--
-- Teaching point: "is this alert firing now?" is a temporal filter, so Materialize can push the
--                 answer (SUBSCRIBE sends a row when a rule fires in a settled window and retracts
--                 it when that window ages out) and the reference engine can poll the same text.
--                 A rule counts as firing while it fired in a window that ended between 25 s and
--                 5 s ago: the 5 s are the windows' grace for late data (a window still moving
--                 is not trusted yet); the 20 s span is longer than the slowest hop of a signal
--                 view (10 s, ab_test_metrics and pipeline_health), so a rule that keeps firing
--                 on a 10 s grid never looks resolved between two of its windows.
-- Grain:          one row per (window_end, rule_name, subject) that fired in that span.
-- Reads:          monitoring_alerts.
-- Read by:        alerts/source.ts: subscribed to on Materialize, polled on the reference engine
--                 (with `lab.now` set to the wall clock first).
-- Why not the newest window only? Each signal view has its own hop: the newest window of one
--                 rule's signal is not the newest window of another's, and a rule on a 10 s grid
--                 would start and resolve every second.

select
    rule_name,
    subject,
    signal,
    window_end,
    value,
    threshold
from monitoring_alerts
where mz_now() >= window_end + interval '5 seconds'
  and mz_now() < window_end + interval '25 seconds'
