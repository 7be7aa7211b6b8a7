-- materialize/40_per_lead/30_int_leads_matured.sql
--
-- Teaching point: a label exists only once its outcome window has closed. A lead converts
--                 within H = 30 s or not at all, so at created_at + 30 s (`matured_at`) its
--                 outcome is final; before that, "not converted yet" is not a negative.
-- Grain:          one row per lead whose 30 s horizon has passed (mz_now() >= matured_at)
--                 and that is younger than 16 minutes, with its bucket, score, label,
--                 outcome and amounts in cents.
-- Reads:          30_staging/10_stg_leads.sql, 40_per_lead/10_int_predictions_deduped.sql,
--                 40_per_lead/20_int_coupons_per_lead.sql.
-- Read by:        50_metrics/10_int_lead_windows.sql.
-- Why not the blog's approach? It counted leads younger than 30 s as negatives, charged
--                 coupons that were never redeemed, and never asked whether the lead had a
--                 prediction at all. Here: no prediction means bucket `unknown` (a data-
--                 quality signal, kept out of the confusion matrix); a coupon costs money
--                 only when its lead converts; a prediction for a lead that does not exist
--                 finds nothing to join and creates no row.

create view if not exists int_leads_matured as

with

leads as (

    select * from stg_leads

),

predictions as (

    select * from int_predictions_deduped

),

coupons as (

    select * from int_coupons_per_lead

),

joined as (

    select
        ----------  ids
        leads.lead_id,

        ----------  dimensions
        coalesce(predictions.experiment_bucket, 'unknown') as experiment_bucket,

        ----------  measures
        predictions.score,
        leads.conversion_amount_cents,
        coupons.redeemable_coupon_cents,

        ----------  booleans
        predictions.lead_id is not null as is_scored,
        predictions.label,

        ----------  timestamps
        leads.created_at,
        leads.converted_at,
        leads.created_at + interval '30 seconds' as matured_at

    from leads
    left join predictions on predictions.lead_id = leads.lead_id
    left join coupons on coupons.lead_id = leads.lead_id

),

outcomes as (

    select
        *,
        converted_at is not null
            and converted_at <= matured_at as converted

    from joined

),

amounts as (

    select
        *,
        case
            when converted then conversion_amount_cents
            else 0
        end as revenue_cents,
        case
            when converted then coalesce(redeemable_coupon_cents, 0)
            else 0
        end as coupon_cost_cents,

        -- The first window holding the lead ends at matured_at rounded up to a
        -- whole second (50_metrics/10_int_lead_windows.sql fans out from it).
        date_trunc('second', matured_at)
            + case
                when date_trunc('second', matured_at) = matured_at
                    then interval '0 seconds'
                else interval '1 second'
            end as first_window_end

    from outcomes

),

final as (

    select * from amounts
    where mz_now() >= matured_at

)

select * from final;
