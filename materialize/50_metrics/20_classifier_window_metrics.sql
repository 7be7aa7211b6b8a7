-- materialize/50_metrics/20_classifier_window_metrics.sql
--
-- Teaching point: the metric contract (docs/metrics.md) in one query: counts per
--                 (window_end, experiment_bucket), then ratios that are NULL when their
--                 denominator is 0. In Materialize a single division by zero would make the
--                 whole view unreadable, so every denominator goes through nullif.
--                 Types are explicit so both engines agree: counts bigint, ratios double
--                 precision, dollar sums numeric(20, 2) (exact cents).
-- Grain:          one row per (window_end, experiment_bucket) holding at least one lead,
--                 for the windows visible at mz_now().
-- Reads:          50_metrics/15_int_classifier_slots.sql (sums per second of matured_at,
--                 fanned out here to the windows; the same numbers as summing
--                 10_int_lead_windows.sql, 30 times fewer rows).
-- Read by:        90_serving/10_classifier_metrics.*.sql (`classifier_metrics`).
-- Why not the blog's query? Its false_negatives repeat the true-negative expression (so
--                 recall and F1 were wrong), its net revenue subtracts every issued coupon,
--                 and it compares buckets by totals although the buckets differ in size:
--                 compare net_revenue_per_lead_dollars.

create view if not exists classifier_window_metrics as

with

slots as (

    select * from int_classifier_slots

),

window_offsets as (

    select offset_seconds
    from generate_series(0, 29) as offsets (offset_seconds)

),

slot_windows as (

    -- Each slot's sums fan out to the 30 windows its leads belong to (as each lead does
    -- in 10_int_lead_windows.sql), visible from window_end for R = 10 minutes.
    select
        slots.*,
        slots.first_window_end
            + interval '1 second' * window_offsets.offset_seconds as window_end

    from slots
    cross join window_offsets

),

visible as (

    select * from slot_windows
    where mz_now() >= window_end
        and mz_now() < window_end + interval '10 minutes'

),

counts as (

    select
        ----------  ids
        window_end,
        experiment_bucket,

        ----------  counts
        cast(sum(num_leads) as bigint) as num_leads,
        cast(sum(num_scored) as bigint) as num_scored,
        cast(sum(true_positives) as bigint) as true_positives,
        cast(sum(false_positives) as bigint) as false_positives,
        cast(sum(true_negatives) as bigint) as true_negatives,
        cast(sum(false_negatives) as bigint) as false_negatives,
        cast(sum(num_converted) as bigint) as num_converted,

        ----------  money, in cents
        sum(revenue_cents) as revenue_cents,
        sum(coupon_cost_cents) as coupon_cost_cents

    from visible
    group by window_end, experiment_bucket

),

ratios as (

    select
        *,
        true_positives::double precision
            / nullif(true_positives + false_positives, 0) as precision,
        true_positives::double precision
            / nullif(true_positives + false_negatives, 0) as recall,
        (2 * true_positives)::double precision
            / nullif(2 * true_positives + false_positives + false_negatives, 0)
            as f1_score,
        (true_positives + true_negatives)::double precision
            / nullif(num_scored, 0) as accuracy,
        num_converted::double precision
            / nullif(num_leads, 0) as conversion_rate,
        (revenue_cents - coupon_cost_cents)::double precision
            / nullif(100 * num_leads, 0) as net_revenue_per_lead_dollars

    from counts

),

final as (

    select
        ----------  ids
        window_end,
        experiment_bucket,

        ----------  counts
        num_leads,
        num_scored,
        true_positives,
        false_positives,
        true_negatives,
        false_negatives,

        ----------  ratios
        precision,
        recall,
        f1_score,
        accuracy,
        conversion_rate,

        ----------  dollars
        cast(revenue_cents / 100.0 as numeric(20, 2)) as revenue_dollars,
        cast(coupon_cost_cents / 100.0 as numeric(20, 2))
            as coupon_cost_dollars,
        cast((revenue_cents - coupon_cost_cents) / 100.0 as numeric(20, 2))
            as net_revenue_dollars,
        net_revenue_per_lead_dollars,

        ----------  extras (not in the contract)
        num_converted

    from ratios

)

select * from final;
