-- materialize/40_per_lead/20_int_coupons_per_lead.sql
--
-- Teaching point: aggregate before you join. A lead with two coupons joined row by row
--                 would appear twice, doubling its revenue and its count. One row per lead
--                 instead, with the coupon a purchase would redeem: one purchase redeems at
--                 most one coupon, and a customer holding several uses the largest. So a
--                 lead's coupon cost is max(amount), never the sum.
-- Grain:          one row per lead_id with at least one (recent) coupon.
-- Reads:          30_staging/20_stg_coupons.sql.
-- Read by:        40_per_lead/30_int_leads_matured.sql.
-- Why not the blog's `LEFT JOIN coupons ON coupons.lead_id = spine.lead_id`? With two
--                 coupons it returns two rows for the lead.

create view if not exists int_coupons_per_lead as

with

coupons as (

    select * from stg_coupons

),

per_lead as (

    select
        ----------  ids
        lead_id,

        ----------  measures
        count(*) as num_coupons,
        max(amount_cents) as redeemable_coupon_cents

    from coupons
    group by lead_id

),

final as (

    select * from per_lead

)

select * from final;
