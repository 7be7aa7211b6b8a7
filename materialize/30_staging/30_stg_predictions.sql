-- materialize/30_staging/30_stg_predictions.sql
--
-- Teaching point: events arrive as JSON; type them once, in one place, with explicit casts,
--                 so both engines agree on every type (bigint ids, double precision scores,
--                 boolean labels, timestamptz times).
-- Grain:          one row per prediction message less than 16 minutes old (by predicted_at:
--                 K, the bound of 10_stg_leads.sql),
--                 duplicates still included: 40_per_lead/10_int_predictions_deduped.sql
--                 removes them.
-- Reads:          conversion_predictions_raw (the Kafka source; a jsonb table in the
--                 reference engine).
-- Read by:        40_per_lead/10_int_predictions_deduped.sql.
-- Why not the blog's `CAST(data->>'label' AS INT)` and `::TIMESTAMP`? 'true' is not an
--                 integer, and a timestamp without time zone drops the offset the producer
--                 wrote.

create view if not exists stg_predictions as

with

source as (

    select * from conversion_predictions_raw

),

typed as (

    select
        ----------  ids
        (data ->> 'lead_id')::bigint as lead_id,

        ----------  dimensions
        data ->> 'experiment_bucket' as experiment_bucket,
        data ->> 'model_version' as model_version,

        ----------  measures
        (data ->> 'score')::double precision as score,
        (data ->> 'threshold')::double precision as threshold,

        ----------  booleans
        (data ->> 'label')::boolean as label,

        ----------  timestamps
        (data ->> 'predicted_at')::timestamptz as predicted_at

    from source

),

final as (

    select * from typed
    where mz_now() < predicted_at + interval '16 minutes'

)

select * from final;
