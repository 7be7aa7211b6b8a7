-- materialize/50_metrics/81_pipeline_health_window_metrics.sql
--
-- Teaching point: watch the stream, not only the model. Per window, from the slot sums
--                 (messages count at their received_at, leads at created_at, conversions at
--                 converted_at):
--                   prediction_coverage   share of the window's new leads with a prediction
--                                         (1 when every lead was scored; a prediction
--                                         outage drops it within one hop);
--                   duplicate_messages    valid messages that follow another of their
--                                         lead by at most 5 minutes (the rule and why
--                                         5 minutes: 80_int_pipeline_health_slots.sql);
--                   rejected_messages     messages that could not be typed (malformed JSON,
--                                         a field of the wrong type or out of range: see
--                                         30_staging/25_stg_prediction_messages.sql);
--                   delivery delay        received_at - predicted_at of each valid message,
--                                         mean and max, in ms (a slow or replaying broker);
--                   prediction latency    predicted_at - created_at of the prediction the
--                                         shop acted on, mean and max, in ms;
--                   late conversions      conversions after the 30 s label horizon: real
--                                         sales that the metric contract counts as
--                                         negatives (a label-delay problem shows here
--                                         first).
--                 Window W = 1 minute, hop 10 s, named by its end E (a multiple of 10 s),
--                 holding the events with E - 60 s < time <= E: each slot fans out to the
--                 windows slot_end + 0, 10, .., 50 s. Grace G = 5 s: a window is shown from
--                 E + 5 s (a prediction is made within milliseconds of its lead and reaches
--                 Materialize within about a second; waiting 5 s keeps the newest window
--                 from showing leads as unscored only because their prediction is in
--                 flight), and kept until E + 10 minutes, as every other view.
-- Grain:          one row per window_end holding at least one event, for the windows
--                 visible at mz_now().
-- Reads:          50_metrics/80_int_pipeline_health_slots.sql.
-- Read by:        90_serving/80_pipeline_health.*.sql (`pipeline_health`).
-- Why not the 30-second windows of classifier_metrics, by matured_at? The pipeline's
--                 events need no label: waiting 30 s for maturity would only delay the news
--                 of an outage, and a 1-minute window at 80 leads/s (about 4,800 leads)
--                 keeps the shares steady. Why not 30 s? The slot sums make the width
--                 cheap; 1 minute smooths Poisson arrivals (±1.5 % on a share near 1).

create view if not exists pipeline_health_window_metrics as

with

slots as (

    select * from int_pipeline_health_slots

),

window_offsets as (

    select offset_slots
    from generate_series(0, 5) as offsets (offset_slots)

),

fanned_out as (

    select
        slots.*,
        slots.slot_end + interval '10 seconds' * window_offsets.offset_slots as window_end

    from slots
    cross join window_offsets

),

visible as (

    select * from fanned_out
    where mz_now() >= window_end + interval '5 seconds'
        and mz_now() < window_end + interval '10 minutes'

),

sums as (

    select
        window_end,
        cast(sum(num_leads) as bigint) as num_leads,
        cast(sum(num_scored_leads) as bigint) as num_scored_leads,
        sum(sum_prediction_latency_ms) as sum_prediction_latency_ms,
        max(max_prediction_latency_ms) as max_prediction_latency_ms,
        sum(sum_delivery_delay_ms) as sum_delivery_delay_ms,
        max(max_delivery_delay_ms) as max_delivery_delay_ms,
        cast(sum(num_messages) as bigint) as num_messages,
        cast(sum(num_first_messages) as bigint) as num_first_messages,
        cast(sum(num_rejected_messages) as bigint) as num_rejected_messages,
        cast(sum(num_conversions) as bigint) as num_conversions,
        cast(sum(num_conversions_after_horizon) as bigint) as num_conversions_after_horizon

    from visible
    group by window_end

),

final as (

    select
        ----------  ids
        window_end,

        ----------  coverage
        num_leads as leads,
        num_scored_leads as scored_leads,
        cast(num_scored_leads as double precision) / nullif(num_leads, 0)
            as prediction_coverage,

        ----------  messages
        num_messages as prediction_messages,
        num_messages - num_first_messages as duplicate_messages,
        num_rejected_messages as rejected_messages,

        ----------  latency (ms)
        cast(sum_prediction_latency_ms as double precision) / nullif(num_scored_leads, 0)
            as mean_prediction_latency_ms,
        cast(max_prediction_latency_ms as double precision) as max_prediction_latency_ms,
        cast(sum_delivery_delay_ms as double precision) / nullif(num_messages, 0)
            as mean_delivery_delay_ms,
        cast(max_delivery_delay_ms as double precision) as max_delivery_delay_ms,

        ----------  conversions
        num_conversions as conversions,
        num_conversions_after_horizon as conversions_after_horizon,
        cast(num_conversions_after_horizon as double precision) / nullif(num_conversions, 0)
            as late_conversion_share

    from sums

)

select * from final;
