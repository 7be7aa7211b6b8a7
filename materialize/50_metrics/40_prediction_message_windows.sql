-- materialize/50_metrics/40_prediction_message_windows.sql
--
-- Teaching point: a rejected message is excluded from every metric, but never silently: this
--                 view counts, per window, how many messages arrived, how many could be typed
--                 and how many were rejected, with the most common reason. Same hopping
--                 windows as the metrics (W = 30 s, hop 1 s, retention 10 minutes), by the
--                 broker's received_at: a message that cannot be read has no other time.
--                 As in 15_int_classifier_slots.sql, the counts are summed per second first
--                 (messages whose first window ends at the same second share all 30 windows)
--                 and the sums fan out: one row per second, and per second and reason, instead
--                 of one per message.
-- Grain:          one row per window_end holding at least one message, for the windows
--                 visible at mz_now().
-- Reads:          30_staging/25_stg_prediction_messages.sql.
-- Read by:        90_serving/30_prediction_message_quality.*.sql.
-- Why not a window function (rank() over reasons) for the most common reason? A self-join
--                 on the small per-window histogram of reasons does the same without
--                 recomputing a whole partition on every change.
-- Why not fan out every message to its 30 windows? The same numbers, 30 rows per message to
--                 group: at 80 messages/s for 10 minutes, 1.4 million rows on every read of the
--                 reference engine, against 18,000 here (600 seconds x 30 windows).

create view if not exists prediction_message_windows as

with

messages as (

    select
        received_at,
        is_valid,
        rejection_reason,
        -- The first window holding the message ends at received_at rounded up to a whole
        -- second (as 50_metrics/10_int_lead_windows.sql does for matured_at).
        date_trunc('second', received_at)
            + case
                when date_trunc('second', received_at) = received_at
                    then interval '0 seconds'
                else interval '1 second'
            end as first_window_end

    from stg_prediction_messages

),

slots as (

    -- Per second: the messages whose first window ends then, counted.
    select
        first_window_end,
        count(*) as num_messages,
        count(*) filter (where is_valid) as num_valid,
        count(*) filter (where not is_valid) as num_rejected

    from messages
    group by first_window_end

),

reason_slots as (

    -- Per second and reason: the rejected messages, counted.
    select
        first_window_end,
        rejection_reason,
        count(*) as num_with_reason

    from messages
    where not is_valid
    group by first_window_end, rejection_reason

),

window_offsets as (

    select offset_seconds
    from generate_series(0, 29) as offsets (offset_seconds)

),

slot_windows as (

    select
        slots.*,
        slots.first_window_end
            + interval '1 second' * window_offsets.offset_seconds as window_end

    from slots
    cross join window_offsets

),

reason_slot_windows as (

    select
        reason_slots.*,
        reason_slots.first_window_end
            + interval '1 second' * window_offsets.offset_seconds as window_end

    from reason_slots
    cross join window_offsets

),

counts as (

    select
        window_end,
        cast(sum(num_messages) as bigint) as num_messages,
        cast(sum(num_valid) as bigint) as num_valid,
        cast(sum(num_rejected) as bigint) as num_rejected

    from slot_windows
    where mz_now() >= window_end
        and mz_now() < window_end + interval '10 minutes'
    group by window_end

),

reasons as (

    select
        window_end,
        rejection_reason,
        cast(sum(num_with_reason) as bigint) as num_with_reason

    from reason_slot_windows
    where mz_now() >= window_end
        and mz_now() < window_end + interval '10 minutes'
    group by window_end, rejection_reason

),

most_common as (

    -- The reason with the highest count; ties go to the first reason in text order.
    select
        reasons.window_end,
        min(reasons.rejection_reason) as most_common_rejection_reason

    from reasons
    inner join (
        select window_end, max(num_with_reason) as max_with_reason
        from reasons
        group by window_end
    ) as top
        on top.window_end = reasons.window_end
        and top.max_with_reason = reasons.num_with_reason
    group by reasons.window_end

),

final as (

    select
        ----------  ids
        counts.window_end,

        ----------  counts
        counts.num_messages,
        counts.num_valid,
        counts.num_rejected,

        ----------  dimensions
        most_common.most_common_rejection_reason

    from counts
    left join most_common on most_common.window_end = counts.window_end

)

select * from final;
