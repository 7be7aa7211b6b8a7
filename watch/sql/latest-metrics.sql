-- watch/sql/latest-metrics.sql
--
-- Teaching point: a live view asks only for the windows it shows. The temporal filter keeps
--                 the last five minutes (the longest trend line, plus grace), in the form both
--                 engines accept: mz_now() alone on one side, no arithmetic on it.
-- Grain:          one row per (window_end, experiment_bucket).
-- Reads:          classifier_metrics (90_serving).
-- Read by:        watch/sources.ts: polled on the reference engine (with `lab.now` = now),
--                 subscribed to on Materialize (SUBSCRIBE sends the changes).
-- Why not `order by window_end desc limit n`? SUBSCRIBE keeps no order; the view sorts.

select
    window_end,
    experiment_bucket,
    num_leads,
    precision,
    recall,
    f1_score,
    net_revenue_per_lead_dollars
from classifier_metrics
where mz_now() < window_end + interval '310 seconds'
