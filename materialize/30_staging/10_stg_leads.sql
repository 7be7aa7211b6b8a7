-- materialize/30_staging/10_stg_leads.sql
--
-- Teaching point: bound the state at the door. A lead matters only while some window can
--                 still show it: created_at + H (label horizon, 30 s) + W (window width)
--                 + R (retention, 10 min). The widest need sets the bound, K = 16 minutes:
--                   classifier_metrics   H + 30 s + R  = 11 min
--                   ab_test_metrics      H + 5 min + R = 15 min 30 s
--                   pipeline_health      a conversion counted up to 5 min after its lead,
--                                        in a 1-minute window shown for R: 5 + 1 + 10 = 16 min
--                 After that the temporal filter retracts it, so memory stays flat however
--                 long the lab runs. Every input of 30_staging/ uses the same K.
-- Grain:          one row per lead created less than 16 minutes before mz_now().
-- Reads:          leads (the Postgres subsource; a table in the reference engine).
-- Read by:        40_per_lead/30_int_leads_matured.sql,
--                 50_metrics/80_int_pipeline_health_slots.sql.
-- Why not filter next to the windows, at the end? Materialize keeps the inputs of every
--                 join and aggregate in memory: a filter after them bounds nothing. (The
--                 blog's upper bound `30000 * (2000 + ms / 2000)` never expired anything.)

create view if not exists stg_leads as

with

source as (

    select * from leads

),

renamed as (

    select
        ----------  ids
        id as lead_id,

        ----------  dimensions
        utm_source,
        utm_medium,

        ----------  measures
        conversion_amount as conversion_amount_cents,

        ----------  timestamps
        created_at,
        converted_at

    from source

),

final as (

    select * from renamed
    where mz_now() < created_at + interval '16 minutes'

)

select * from final;
