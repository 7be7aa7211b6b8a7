-- materialize/50_metrics/81_pipeline_health_window_metrics.checks.sql
--
-- Invariants of pipeline_health_window_metrics (and so of pipeline_health): each query
-- returns the rows that break one, so every query must return nothing. Run by the tests
-- (test/sql/); never applied as a migration (the `checks` tag).

-- One row per window, named by a multiple of 10 s.
select window_end, count(*) as rows_for_window
from pipeline_health_window_metrics
group by window_end
having count(*) > 1
    or min(extract(epoch from window_end)) <> 10 * floor(min(extract(epoch from window_end)) / 10);

-- Parts never exceed their wholes; shares are NULL exactly when their denominator is 0.
select window_end, leads, scored_leads, prediction_messages, duplicate_messages
from pipeline_health_window_metrics
where scored_leads > leads
    or duplicate_messages not between 0 and prediction_messages
    or conversions_after_horizon > conversions
    or prediction_coverage not between 0 and 1
    or late_conversion_share not between 0 and 1
    or (prediction_coverage is null) <> (leads = 0)
    or (late_conversion_share is null) <> (conversions = 0)
    or rejected_messages < 0
    or (mean_prediction_latency_ms is null) <> (scored_leads = 0)
    or (mean_delivery_delay_ms is null) <> (prediction_messages = 0)
    or mean_delivery_delay_ms > max_delivery_delay_ms + 1e-9
    or mean_prediction_latency_ms > max_prediction_latency_ms + 1e-9;
