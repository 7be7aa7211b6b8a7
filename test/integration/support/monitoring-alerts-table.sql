-- test/integration/support/monitoring-alerts-table.sql
--
-- Teaching point: none; a test fixture. A TABLE named monitoring_alerts with the view's
--                 columns, in the view's order, so a test can make a rule fire (insert) and stop
--                 firing (delete) at will. Created in a scratch database only, never by a migration.
-- Grain:          one row per (window_end, rule_name, subject) that fires, as the real view.
-- Reads:          nothing.
-- Read by:        test/integration/alerts-follower.test.ts (npm run alerts on the reference engine).
-- Why not the real view? Its rows come from hours of simulated traffic; the follower's logic
--                 only needs rows that appear and disappear.

create table monitoring_alerts (
    rule_name   text             not null,
    window_end  timestamptz      not null,
    value       double precision not null,
    threshold   double precision not null,
    signal      text             not null,
    subject     text
);
