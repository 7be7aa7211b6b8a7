-- materialize/30_staging/30_stg_predictions.sql
--
-- Teaching point: downstream views see only messages that were typed without doubt: bigint
--                 ids, double precision scores, boolean labels, timestamptz times. The
--                 parsing and its guards live in one place (25_stg_prediction_messages.sql);
--                 a rejected message never reaches a metric.
-- Grain:          one row per valid prediction message less than 16 minutes old (by
--                 predicted_at and by received_at: K, the bound of 10_stg_leads.sql),
--                 duplicates still included: 40_per_lead/10_int_predictions_deduped.sql
--                 removes them.
-- Reads:          30_staging/25_stg_prediction_messages.sql.
-- Read by:        40_per_lead/10_int_predictions_deduped.sql.
-- Why not the blog's `CAST(data->>'label' AS INT)` and `::TIMESTAMP`? 'true' is not an
--                 integer, a timestamp without time zone drops the offset the producer
--                 wrote, and an unguarded cast turns one bad message into an error for
--                 every view above it.

create view if not exists stg_predictions as

with

messages as (

    select * from stg_prediction_messages

),

valid as (

    select
        ----------  ids
        lead_id,

        ----------  dimensions
        experiment_bucket,
        model_version,

        ----------  measures
        score,
        threshold,

        ----------  booleans
        label,

        ----------  timestamps
        predicted_at,
        received_at

    from messages
    where is_valid

),

final as (

    select * from valid
    where mz_now() < predicted_at + interval '16 minutes'

)

select * from final;
