-- materialize/40_per_lead/40_int_feature_drift_leads.sql
--
-- Teaching point: drift is about the model's inputs and outputs, so it needs no label and
--                 no waiting: a lead counts as soon as it is scored, by prediction time.
--                 One prediction per lead (the deduplicated one), joined to its lead for
--                 the attributes the reference describes.
-- Grain:          one row per scored lead whose lead row exists (both younger than
--                 11 minutes), with its model_version, predicted_at, its first window end
--                 by prediction time, and one column per monitored feature:
--                   score_decile = least(floor(score * 10), 9) as text ('0'..'9');
--                   utm_source  = the lead's utm_source.
-- Reads:          30_staging/10_stg_leads.sql, 40_per_lead/10_int_predictions_deduped.sql
--                 (both bounded by their temporal filters).
-- Read by:        50_metrics/70_int_feature_drift_counts.sql.
-- Bounded by:     the inputs' temporal filters. A prediction's last window is retracted
--                 30 s + 10 min after predicted_at, before the staging layer drops it; the
--                 lead row is kept as long provided the model scored within 30 s of the
--                 lead's arrival (it scores in milliseconds).
-- Why not read the raw prediction messages? A re-delivered message would count twice and
--                 make the audience look as if it had shifted; and a prediction for a lead
--                 that does not exist is not a lead (as in int_leads_matured).

create view if not exists int_feature_drift_leads as

with

predictions as (

    select * from int_predictions_deduped

),

leads as (

    select * from stg_leads

),

joined as (

    select
        ----------  ids
        predictions.lead_id,

        ----------  dimensions
        predictions.model_version,
        cast(cast(least(floor(predictions.score * 10), 9) as integer) as text)
            as score_decile,
        leads.utm_source,

        ----------  timestamps
        predictions.predicted_at,

        -- The first window holding the prediction ends at predicted_at rounded up to a
        -- whole second (as first_window_end in int_leads_matured, by prediction time).
        date_trunc('second', predictions.predicted_at)
            + case
                when date_trunc('second', predictions.predicted_at) = predictions.predicted_at
                    then interval '0 seconds'
                else interval '1 second'
            end as first_window_end

    from predictions
    inner join leads on leads.lead_id = predictions.lead_id

),

final as (

    select * from joined

)

select * from final;
