-- watch/sql/newest-rows.sql
--
-- Teaching point: the other views (signals, alerts) are shown as they are: their newest rows.
--                 VIEW_NAME is replaced by one quoted name from a fixed list
--                 (watch/sources.ts), never by user input.
-- Grain:          the view's own, one row per window and key, newest first.
-- Reads:          a signal view (model_quality_metrics, feature_drift, ab_test_metrics,
--                 pipeline_health) or monitoring_alerts, whichever exist.
-- Read by:        watch/sources.ts, on both engines.
-- Why not select * without a filter? On the reference engine a view is computed when read:
--                 ten minutes of windows cost more than the one the screen shows.

select *
from VIEW_NAME
where mz_now() < window_end + interval '70 seconds'
order by window_end desc
limit 40
