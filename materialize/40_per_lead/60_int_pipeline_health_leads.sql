-- materialize/40_per_lead/60_int_pipeline_health_leads.sql
--
-- Teaching point: the pipeline's health is measured on the same leads as the model's, one
--                 row per lead: did a prediction arrive for it, how long after the lead did
--                 the shop's model answer, and when did it convert. No maturity filter here:
--                 a missing prediction is news as soon as it is late, not 30 s later.
-- Grain:          one row per lead created less than 16 minutes before mz_now().
-- Reads:          30_staging/10_stg_leads.sql, 40_per_lead/10_int_predictions_deduped.sql
--                 (the prediction the shop acted on: one per lead, duplicates removed).
-- Read by:        50_metrics/70_int_pipeline_health_slots.sql.
-- Why not reuse int_leads_matured? It holds a lead only from its matured_at on (30 s after
--                 it arrived) and carries coupons and amounts the pipeline does not need;
--                 this view needs neither the wait nor the coupons.

create view if not exists int_pipeline_health_leads as

with

leads as (

    select * from stg_leads

),

predictions as (

    select * from int_predictions_deduped

),

joined as (

    select
        ----------  ids
        leads.lead_id,

        ----------  booleans
        predictions.lead_id is not null as is_scored,

        ----------  measures
        -- Model latency: how long after the lead its (first) prediction was made.
        1000 * (extract(epoch from predictions.predicted_at) - extract(epoch from leads.created_at))
            as prediction_latency_ms,

        ----------  timestamps
        leads.created_at,
        leads.converted_at

    from leads
    left join predictions on predictions.lead_id = leads.lead_id

),

final as (

    select * from joined

)

select * from final;
