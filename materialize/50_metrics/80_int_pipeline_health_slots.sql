-- materialize/50_metrics/80_int_pipeline_health_slots.sql
--
-- Teaching point: each health signal is counted at the time its event happened, into
--                 10-second slots (a slot ends on a multiple of 10 s and holds the events
--                 with slot_end - 10 s < time <= slot_end), all additive:
--                   leads          by created_at: leads, those with a prediction, the
--                                  model latency (sum and max) of those;
--                   messages       by received_at (the broker's timestamp): every valid
--                                  prediction message with its delivery delay
--                                  (received_at - predicted_at, sum and max), the first
--                                  message of each lead (so duplicates = messages - first
--                                  messages, in any window), and every rejected message;
--                   conversions    by converted_at: conversions up to 5 minutes after
--                                  their lead, and those after the 30 s label horizon.
-- Grain:          one row per slot_end with at least one event of any kind.
-- Reads:          30_staging/10_stg_leads.sql, 30_staging/30_stg_predictions.sql (valid
--                 messages), 30_staging/25_stg_prediction_messages.sql (rejected ones).
-- Read by:        50_metrics/81_pipeline_health_window_metrics.sql.
-- Why not join int_predictions_deduped for the latency, as int_leads_matured does? Only the
--                 earliest predicted_at matters here, and taking it from the messages this
--                 view already reads saves a second parse of every message (about 6 s for 10
--                 minutes of data on the reference engine). No maturity filter either: a
--                 missing prediction is news as soon as it is late, not 30 s later.
-- Why not count duplicates as messages minus distinct leads per window? A copy delivered in
--                 a later window than its original would be missed. Counting each lead's
--                 first message once, in the slot where it arrived, places every copy in
--                 the window where it arrived. Why stop at 5 minutes for conversions? Leads
--                 are kept 16 minutes (30_staging/): a conversion up to 5 minutes late, in a
--                 1-minute window kept 10 minutes, is never retracted from a visible window;
--                 a later one would be (state must stay bounded), so it is not counted.

create view if not exists int_pipeline_health_slots as

with

leads as (

    select * from stg_leads

),

messages as (

    -- Read once and shared (Postgres evaluates a CTE used three times once; the guarded
    -- parsing behind stg_predictions is the costliest step on the reference engine).
    select * from stg_predictions

),

rejected_messages as (

    select * from stg_prediction_messages
    where not is_valid

),

first_messages as (

    -- Per lead: its first prediction (the earliest predicted_at: the one the shop acted
    -- on, as in int_predictions_deduped) and its first arrival.
    select
        lead_id,
        min(predicted_at) as first_predicted_at,
        min(received_at) as first_received_at

    from messages
    group by lead_id

),

lead_facts as (

    select
        leads.created_at,
        leads.converted_at,
        first_messages.lead_id is not null as is_scored,
        -- Model latency: how long after the lead its first prediction was made.
        1000 * (extract(epoch from first_messages.first_predicted_at) - extract(epoch from leads.created_at))
            as prediction_latency_ms

    from leads
    left join first_messages on first_messages.lead_id = leads.lead_id

),

lead_events as (

    select
        -- The slot's end: the time rounded UP to a multiple of 10 s (timestamps have
        -- microsecond resolution in both engines, so "round down (t - 1 µs), add 10 s").
        date_bin(interval '10 seconds', created_at - interval '1 microsecond', timestamptz '2000-01-01 00:00:00+00')
            + interval '10 seconds' as slot_end,
        is_scored,
        prediction_latency_ms

    from lead_facts

),

lead_sums as (

    select
        slot_end,
        count(*) as num_leads,
        count(*) filter (where is_scored) as num_scored_leads,
        sum(prediction_latency_ms) as sum_prediction_latency_ms,
        max(prediction_latency_ms) as max_prediction_latency_ms,
        cast(null as numeric) as sum_delivery_delay_ms,
        cast(null as numeric) as max_delivery_delay_ms,
        cast(0 as bigint) as num_messages,
        cast(0 as bigint) as num_first_messages,
        cast(0 as bigint) as num_rejected_messages,
        cast(0 as bigint) as num_conversions,
        cast(0 as bigint) as num_conversions_after_horizon

    from lead_events
    group by slot_end

),

message_events as (

    select
        date_bin(interval '10 seconds', received_at - interval '1 microsecond', timestamptz '2000-01-01 00:00:00+00')
            + interval '10 seconds' as slot_end,
        1000 * (extract(epoch from received_at) - extract(epoch from predicted_at))
            as delivery_delay_ms

    from messages

),

message_sums as (

    select
        slot_end,
        cast(0 as bigint) as num_leads,
        cast(0 as bigint) as num_scored_leads,
        cast(null as numeric) as sum_prediction_latency_ms,
        cast(null as numeric) as max_prediction_latency_ms,
        sum(delivery_delay_ms) as sum_delivery_delay_ms,
        max(delivery_delay_ms) as max_delivery_delay_ms,
        count(*) as num_messages,
        cast(0 as bigint) as num_first_messages,
        cast(0 as bigint) as num_rejected_messages,
        cast(0 as bigint) as num_conversions,
        cast(0 as bigint) as num_conversions_after_horizon

    from message_events
    group by slot_end

),

first_message_slots as (

    select
        date_bin(interval '10 seconds', first_received_at - interval '1 microsecond', timestamptz '2000-01-01 00:00:00+00')
            + interval '10 seconds' as slot_end

    from first_messages

),

first_message_sums as (

    select
        slot_end,
        cast(0 as bigint) as num_leads,
        cast(0 as bigint) as num_scored_leads,
        cast(null as numeric) as sum_prediction_latency_ms,
        cast(null as numeric) as max_prediction_latency_ms,
        cast(null as numeric) as sum_delivery_delay_ms,
        cast(null as numeric) as max_delivery_delay_ms,
        cast(0 as bigint) as num_messages,
        count(*) as num_first_messages,
        cast(0 as bigint) as num_rejected_messages,
        cast(0 as bigint) as num_conversions,
        cast(0 as bigint) as num_conversions_after_horizon

    from first_message_slots
    group by slot_end

),

rejected_slots as (

    select
        date_bin(interval '10 seconds', received_at - interval '1 microsecond', timestamptz '2000-01-01 00:00:00+00')
            + interval '10 seconds' as slot_end

    from rejected_messages

),

rejected_sums as (

    select
        slot_end,
        cast(0 as bigint) as num_leads,
        cast(0 as bigint) as num_scored_leads,
        cast(null as numeric) as sum_prediction_latency_ms,
        cast(null as numeric) as max_prediction_latency_ms,
        cast(null as numeric) as sum_delivery_delay_ms,
        cast(null as numeric) as max_delivery_delay_ms,
        cast(0 as bigint) as num_messages,
        cast(0 as bigint) as num_first_messages,
        count(*) as num_rejected_messages,
        cast(0 as bigint) as num_conversions,
        cast(0 as bigint) as num_conversions_after_horizon

    from rejected_slots
    group by slot_end

),

conversion_events as (

    select
        date_bin(interval '10 seconds', converted_at - interval '1 microsecond', timestamptz '2000-01-01 00:00:00+00')
            + interval '10 seconds' as slot_end,
        converted_at > created_at + interval '30 seconds' as is_after_horizon

    from leads
    where converted_at <= created_at + interval '5 minutes'

),

conversion_sums as (

    select
        slot_end,
        cast(0 as bigint) as num_leads,
        cast(0 as bigint) as num_scored_leads,
        cast(null as numeric) as sum_prediction_latency_ms,
        cast(null as numeric) as max_prediction_latency_ms,
        cast(null as numeric) as sum_delivery_delay_ms,
        cast(null as numeric) as max_delivery_delay_ms,
        cast(0 as bigint) as num_messages,
        cast(0 as bigint) as num_first_messages,
        cast(0 as bigint) as num_rejected_messages,
        count(*) as num_conversions,
        count(*) filter (where is_after_horizon) as num_conversions_after_horizon

    from conversion_events
    group by slot_end

),

all_sums as (

    select * from lead_sums
    union all
    select * from message_sums
    union all
    select * from first_message_sums
    union all
    select * from rejected_sums
    union all
    select * from conversion_sums

),

final as (

    select
        ----------  ids
        slot_end,

        ----------  sufficient statistics
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
        cast(sum(num_conversions_after_horizon) as bigint)
            as num_conversions_after_horizon

    from all_sums
    group by slot_end

)

select * from final;
