-- materialize/30_staging/20_stg_coupons.sql
--
-- Teaching point: every input gets its own temporal filter. A coupon is issued with its
--                 lead's prediction, so keeping it K = 16 minutes after issue (the bound of
--                 10_stg_leads.sql) keeps it as long as its lead.
-- Grain:          one row per coupon issued less than 16 minutes before mz_now().
-- Reads:          coupons (the Postgres subsource; a table in the reference engine).
-- Read by:        40_per_lead/20_int_coupons_per_lead.sql.
-- Why not rely on the join with leads to drop old coupons? The join would still keep every
--                 coupon ever issued in its arrangement, waiting for a matching lead.

create view if not exists stg_coupons as

with

source as (

    select * from coupons

),

renamed as (

    select
        ----------  ids
        id as coupon_id,
        lead_id,

        ----------  measures
        amount as amount_cents,

        ----------  timestamps
        created_at as issued_at

    from source

),

final as (

    select * from renamed
    where mz_now() < issued_at + interval '16 minutes'

)

select * from final;
