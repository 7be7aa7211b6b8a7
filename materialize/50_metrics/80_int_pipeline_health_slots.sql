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
--                                  messages (so duplicates = messages - first messages, in
--                                  any window), and every rejected message;
--                   conversions    by converted_at: conversions up to 5 minutes after
--                                  their lead, and those after the 30 s label horizon.
--                 First message: a valid message is its lead's first unless the lead had
--                 another valid message received in the 5 minutes up to it (copies received
--                 at the same instant: one of them is first). A copy more than 5 minutes
--                 after the lead's previous message starts a new first message; its delay
--                 still shows in the delivery delay.
-- Grain:          one row per slot_end with at least one event of any kind.
-- Reads:          30_staging/10_stg_leads.sql, 30_staging/25_stg_prediction_messages.sql
--                 (valid and rejected messages, kept 16 minutes by received_at).
-- Read by:        50_metrics/81_pipeline_health_window_metrics.sql.
-- Why not stg_predictions for the messages? It keeps a message only 16 minutes after its
--                 predicted_at, while the windows by received_at stay on screen until about
--                 11 minutes after received_at (slot_end + 50 s + 10 min): a message
--                 delivered over 5 minutes late would leave windows still on screen, and
--                 one over 16 minutes late would never be counted. Messages kept by
--                 received_at stay for every window that holds them. Only the leads' model
--                 latency keeps the predicted_at bound of stg_predictions (its windows are
--                 by created_at, and a prediction is made when its lead is).
-- Why not "the lead's earliest message ever" as its first? A message is kept 16 minutes
--                 and its copy's windows stay 11 minutes after the copy arrives: a copy
--                 more than 5 minutes after the original would turn first when the original
--                 leaves, and duplicate_messages would drop in a window on screen. Looking
--                 back exactly 5 minutes (16 - 11) sees only messages that are still kept
--                 while every window holding the copy is shown, so no shown count changes.
-- Why not join int_predictions_deduped for the latency, as int_leads_matured does? Only the
--                 earliest predicted_at matters here, and taking it from the messages this
--                 view already reads saves a second parse of every message (about 6 s for 10
--                 minutes of data on the reference engine). The valid and rejected messages
--                 come from one CTE read once, for the same reason. No maturity filter
--                 either: a missing prediction is news as soon as it is late, not 30 s later.
-- Why not count duplicates as messages minus distinct leads per window? A copy delivered in
--                 a later window than its original would be missed. Counting each first
--                 message once, in the slot where it arrived, places every copy in the
--                 window where it arrived. Why stop at 5 minutes for conversions? Leads
--                 are kept 16 minutes (30_staging/): a conversion up to 5 minutes late, in a
--                 1-minute window kept 10 minutes, is never retracted from a visible window;
--                 a later one would be (state must stay bounded), so it is not counted.

create view if not exists int_pipeline_health_slots as

with

leads as (

    select * from stg_leads

),

all_messages as (

    -- Read once and shared (Postgres evaluates a CTE used more than once once; the guarded
    -- parsing behind stg_prediction_messages is the costliest step on the reference engine).
    select * from stg_prediction_messages

),

messages as (

    select * from all_messages
    where is_valid

),

rejected_messages as (

    select * from all_messages
    where not is_valid

),

lead_predictions as (

    -- Per lead: its first prediction (the earliest predicted_at: the one the shop acted
    -- on, as in int_predictions_deduped), with the predicted_at bound of stg_predictions.
    select
        lead_id,
        min(predicted_at) as first_predicted_at

    from messages
    where mz_now() < predicted_at + interval '16 minutes'
    group by lead_id

),

arrivals as (

    -- One row per lead and instant at which the broker received its valid messages.
    select distinct
        lead_id,
        received_at

    from messages

),

first_messages as (

    -- An arrival with no other arrival of its lead in the 5 minutes before it (the join
    -- keeps the arrival itself, so the earliest of the look-back is the arrival).
    select
        arrival.lead_id,
        arrival.received_at as first_received_at

    from arrivals as arrival
    inner join arrivals as recent
        on recent.lead_id = arrival.lead_id
        and recent.received_at >= arrival.received_at - interval '5 minutes'
        and recent.received_at <= arrival.received_at
    group by arrival.lead_id, arrival.received_at
    having min(recent.received_at) = arrival.received_at

),

lead_facts as (

    select
        leads.created_at,
        leads.converted_at,
        lead_predictions.lead_id is not null as is_scored,
        -- Model latency: how long after the lead its first prediction was made.
        1000 * (extract(epoch from lead_predictions.first_predicted_at) - extract(epoch from leads.created_at))
            as prediction_latency_ms

    from leads
    left join lead_predictions on lead_predictions.lead_id = leads.lead_id

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
