-- materialize/50_metrics/61_int_ab_test_windows.sql
--
-- Teaching point: a wide window from narrow slots. The A/B window is W = 5 minutes wide and
--                 hops every 10 s; it is named by its end E (a multiple of 10 s) and holds
--                 the leads with E - 300 s < matured_at <= E, which are exactly the leads of
--                 the thirty slots ending at E - 290 s .. E. So each slot fans out to the
--                 windows slot_end + 0, 10, .., 290 s, and a window sums its slots. A window
--                 is visible from mz_now() = E for the retention R = 10 minutes.
-- Grain:          one row per (window_end, experiment_bucket) for the windows visible at
--                 mz_now(): n, Σx, Σx² (x = net revenue in cents) and conversions.
-- Reads:          50_metrics/60_int_ab_test_slots.sql.
-- Read by:        50_metrics/62_ab_test_window_metrics.sql.
-- Why not a 30-second window, as classifier_metrics has? At 80 leads/s a 30 s window holds
--                 about 480 control leads, and a net revenue per lead with a standard
--                 deviation near $80 then has a standard error near $3.7: larger than the
--                 uplift the experiment is about. Five minutes holds ten times as many.
--                 Bounded state: a slot's leads are kept until created_at + 16 minutes
--                 (30_staging/), its last window (slot_end + 290 s) disappears at
--                 slot_end + 890 s, and slot_end < created_at + 40 s: so nothing is
--                 retracted from a visible window.

create view if not exists int_ab_test_windows as

with

slots as (

    select * from int_ab_test_slots

),

window_offsets as (

    select offset_slots
    from generate_series(0, 29) as offsets (offset_slots)

),

fanned_out as (

    select
        slots.*,
        slots.slot_end
            + interval '10 seconds' * window_offsets.offset_slots as window_end

    from slots
    cross join window_offsets

),

visible as (

    select * from fanned_out
    where mz_now() >= window_end
        and mz_now() < window_end + interval '10 minutes'

),

final as (

    select
        ----------  ids
        window_end,
        experiment_bucket,

        ----------  sufficient statistics
        cast(sum(num_leads) as bigint) as num_leads,
        cast(sum(num_converted) as bigint) as num_converted,
        sum(sum_net_revenue_cents) as sum_net_revenue_cents,
        sum(sum_squared_net_revenue_cents) as sum_squared_net_revenue_cents

    from visible
    group by window_end, experiment_bucket

)

select * from final;
