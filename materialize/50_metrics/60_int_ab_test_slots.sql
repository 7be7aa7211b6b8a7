-- materialize/50_metrics/60_int_ab_test_slots.sql
--
-- Teaching point: additive sufficient statistics first. A mean and a variance need only
--                 n, Σx and Σx² per group, and those add up: a 5-minute window is the sum
--                 of its thirty 10-second slots. So each matured lead is summed once, into
--                 the slot that ends at its matured_at rounded up to 10 s, and the windows
--                 (61_int_ab_test_windows.sql) add slots, not leads. x is the lead's net
--                 revenue in cents (revenue if it converted within the horizon, minus the
--                 coupon it redeemed, else 0): integers, so Σx and Σx² are exact.
-- Grain:          one row per (slot_end, experiment_bucket) holding at least one matured
--                 lead (bucket `unknown` too: a lead with no prediction); slot_end is a
--                 multiple of 10 s and holds the leads with slot_end - 10 s < matured_at
--                 <= slot_end.
-- Reads:          40_per_lead/30_int_leads_matured.sql (bounded by its inputs' 16-minute
--                 filters and by mz_now() >= matured_at).
-- Read by:        50_metrics/61_int_ab_test_windows.sql.
-- Why not fan each lead out to its 30 windows, as 10_int_lead_windows.sql does? At 80
--                 leads/s that is 30 rows per lead to keep and re-add; summing per slot
--                 first keeps at most two rows per 10 s, and the fan-out multiplies those.

create view if not exists int_ab_test_slots as

with

leads as (

    -- Every bucket, `unknown` included: 62_ab_test_window_metrics.sql picks the two arms.
    -- (Filtering here would be pushed by Postgres into int_predictions_deduped, where a
    -- row estimate of 2 turns the join with leads into a nested loop: minutes, not
    -- milliseconds, on the reference engine before its first ANALYZE.)
    select * from int_leads_matured

),

binned as (

    select
        experiment_bucket,
        cast(revenue_cents - coupon_cost_cents as bigint) as net_revenue_cents,
        converted,
        date_bin(
            interval '10 seconds',
            matured_at,
            timestamptz '2000-01-01 00:00:00+00'
        ) as slot_start,
        matured_at

    from leads

),

slotted as (

    -- Rounded up: a matured_at on a 10-second boundary ends its own slot.
    select
        *,
        slot_start
            + case
                when slot_start = matured_at then interval '0 seconds'
                else interval '10 seconds'
            end as slot_end

    from binned

),

sums as (

    select
        ----------  ids
        slot_end,
        experiment_bucket,

        ----------  sufficient statistics (exact integers)
        count(*) as num_leads,
        count(*) filter (where converted) as num_converted,
        sum(net_revenue_cents) as sum_net_revenue_cents,
        sum(net_revenue_cents * net_revenue_cents)
            as sum_squared_net_revenue_cents

    from slotted
    group by slot_end, experiment_bucket

),

final as (

    select * from sums

)

select * from final;
