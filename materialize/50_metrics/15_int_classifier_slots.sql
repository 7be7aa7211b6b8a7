-- materialize/50_metrics/15_int_classifier_slots.sql
--
-- Teaching point: every count and sum of classifier_metrics is additive, so sum first and
--                 fan out the sums. Leads whose first window ends at the same second (their
--                 matured_at rounded up) belong to exactly the same 30 windows; summed into
--                 one row per (second, bucket), they fan out as one row instead of one per
--                 lead. At 80 leads/s that is 30 rows per second and bucket to keep instead
--                 of 2,400.
-- Grain:          one row per (first_window_end, experiment_bucket) holding at least one
--                 matured lead: the leads with first_window_end - 1 s < matured_at <=
--                 first_window_end, counted and summed.
-- Reads:          40_per_lead/30_int_leads_matured.sql.
-- Read by:        50_metrics/20_classifier_window_metrics.sql.
-- Why not sum 10_int_lead_windows.sql, one row per (lead, window)? It gives the same numbers
--                 and stays the clearest picture of a hopping window, but grouping 30 rows
--                 per lead is what made classifier_metrics slow (about 6 s for 10 minutes
--                 at 80 leads/s on the reference engine, `npm run bench:sql`).

create view if not exists int_classifier_slots as

with

leads as (

    select * from int_leads_matured

),

sums as (

    select
        ----------  ids
        first_window_end,
        experiment_bucket,

        ----------  counts
        count(*) as num_leads,
        count(*) filter (where is_scored) as num_scored,
        count(*) filter (where is_scored and label and converted)
            as true_positives,
        count(*) filter (where is_scored and label and not converted)
            as false_positives,
        count(*) filter (where is_scored and not label and not converted)
            as true_negatives,
        count(*) filter (where is_scored and not label and converted)
            as false_negatives,
        count(*) filter (where converted) as num_converted,

        ----------  money, in cents
        sum(revenue_cents) as revenue_cents,
        sum(coupon_cost_cents) as coupon_cost_cents

    from leads
    group by first_window_end, experiment_bucket

),

final as (

    select * from sums

)

select * from final;
