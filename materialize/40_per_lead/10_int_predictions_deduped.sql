-- materialize/40_per_lead/10_int_predictions_deduped.sql
--
-- Teaching point: Kafka delivers at least once, so the same prediction can arrive twice.
--                 Counting it twice would change every number; keep exactly one per lead,
--                 chosen by a rule that does not depend on arrival order:
--                   1. the earliest predicted_at (the score the shop acted on when it decided
--                      about a coupon);
--                   2. ties broken by score, label, threshold, model_version,
--                      experiment_bucket, in that order;
--                   3. exact copies by the earliest received_at (so even that column is
--                      the same in both engines).
-- Grain:          one row per lead_id that has at least one (recent) prediction.
-- Reads:          30_staging/30_stg_predictions.sql.
-- Read by:        40_per_lead/30_int_leads_matured.sql.
-- Why not `select distinct`? Two messages for a lead that differ in any field (a re-score)
--                 would both survive and the lead would count twice.

create view if not exists int_predictions_deduped as

with

predictions as (

    select * from stg_predictions

),

first_per_lead as (

    select distinct on (lead_id) *
    from predictions
    order by
        lead_id,
        predicted_at,
        score,
        label,
        threshold,
        model_version,
        experiment_bucket,
        received_at

),

final as (

    select * from first_per_lead

)

select * from final;
