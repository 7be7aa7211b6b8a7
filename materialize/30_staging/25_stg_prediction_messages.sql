-- materialize/30_staging/25_stg_prediction_messages.sql
--
-- Teaching point: a producer can send anything, and one message that cannot be typed must
--                 never take the dashboard down. Every cast here runs only inside
--                 `case when <guard> then <cast> end`: the guard proves the cast cannot fail,
--                 so a malformed message becomes a row with is_valid = false and a
--                 rejection_reason, never a query error. (Neither engine promises the order
--                 in which WHERE or AND conditions are evaluated, and Materialize may push a
--                 filter below this view, so only CASE keeps a cast behind its guard.)
-- Grain:          one row per message received less than 16 minutes before mz_now() (by the
--                 broker's received_at: K, the bound of 10_stg_leads.sql), duplicates and
--                 malformed messages included.
-- Reads:          conversion_predictions_raw (the Kafka source; a text table in the reference
--                 engine): `text` (the message value, NULL when the message has none) and
--                 `received_at` (the broker's timestamp).
-- Read by:        30_staging/30_stg_predictions.sql (valid messages),
--                 50_metrics/40_prediction_message_windows.sql (the rejected ones are
--                 counted), 50_metrics/80_int_pipeline_health_slots.sql (valid and
--                 rejected: it counts messages by received_at, as this view keeps them).
-- Why not `text::jsonb` and `(data ->> 'lead_id')::bigint` directly? One message that is not
--                 JSON, or `"lead_id": "abc"`, raises an error, and in Materialize an error
--                 in a view makes every view above it unreadable. Postgres 15 has no
--                 pg_input_is_valid, so each guard is a pattern both engines' regular
--                 expressions read the same way (Postgres' and Rust's):
--                   1. the message is one flat JSON object of plain values: strings without
--                      \u escapes (\u0000 and lone surrogates make the jsonb cast raise),
--                      numbers with at most 15 integer digits, 20 fraction digits and a
--                      one-digit exponent (Materialize's jsonb holds numbers as numeric with
--                      39 digits, and older versions refuse integers beyond 2^53), true,
--                      false, null;
--                   2. each field has the JSON type it must have (jsonb_typeof), and its text
--                      the shape its cast accepts;
--                   3. predicted_at is ISO-8601 with an offset, every part in range, and the
--                      day exists in that month (leap years computed, not looked up).
--                 A strange message that is valid JSON may be rejected; no message can
--                 make a cast raise.

create view if not exists stg_prediction_messages as

with

source as (

    select * from conversion_predictions_raw

),

recent as (

    select
        text as message_text,
        cast(received_at as timestamptz) as received_at

    from source
    where mz_now() < received_at + interval '16 minutes'

),

parsed as (

    -- Used twice below, so Postgres computes it once per row instead of copying the
    -- pattern match and the jsonb cast into every expression that reads `message`.
    select
        *,
        case
            when message_text ~ '^[ \t\n\r]*\{[ \t\n\r]*(?:"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt])*"[ \t\n\r]*:[ \t\n\r]*(?:"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt])*"|-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,20})?(?:[eE][-+]?[0-9])?|true|false|null)[ \t\n\r]*(?:,[ \t\n\r]*"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt])*"[ \t\n\r]*:[ \t\n\r]*(?:"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt])*"|-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,20})?(?:[eE][-+]?[0-9])?|true|false|null)[ \t\n\r]*)*)?\}[ \t\n\r]*$'
                then cast(message_text as jsonb)
        end as message

    from recent

),

unreadable as (

    select
        received_at,
        case
            when message_text is null
                then 'message: no value (the Kafka message value is null)'
            else 'message: not one flat JSON object of strings, numbers, true, false or null'
        end as rejection_reason

    from parsed
    where message is null

),

field_texts as (

    -- Each field's text, only when its JSON type is the one it must have.
    select
        received_at,
        case
            when jsonb_typeof(message -> 'lead_id') = 'number'
                then message ->> 'lead_id'
        end as lead_id_text,
        case
            when jsonb_typeof(message -> 'experiment_bucket') = 'string'
                then message ->> 'experiment_bucket'
        end as experiment_bucket_text,
        case
            when jsonb_typeof(message -> 'model_version') = 'string'
                then message ->> 'model_version'
        end as model_version_text,
        case
            when jsonb_typeof(message -> 'score') = 'number'
                then message ->> 'score'
        end as score_text,
        case
            when jsonb_typeof(message -> 'threshold') = 'number'
                then message ->> 'threshold'
        end as threshold_text,
        case
            when jsonb_typeof(message -> 'label') = 'boolean'
                then message ->> 'label'
        end as label_text,
        case
            when jsonb_typeof(message -> 'predicted_at') = 'string'
                then message ->> 'predicted_at'
        end as predicted_at_text

    from parsed
    where message is not null

),

values_cast as (

    select
        *,
        -- At most 18 digits: always inside bigint.
        case
            when lead_id_text ~ '^[1-9][0-9]{0,17}$'
                then cast(lead_id_text as bigint)
        end as lead_id_value,
        -- A plain decimal: the message pattern allowed at most 15 integer digits and a
        -- one-digit exponent, so the value is always inside double precision.
        case
            when score_text ~ '^-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$'
                then cast(score_text as double precision)
        end as score_value,
        case
            when threshold_text ~ '^-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$'
                then cast(threshold_text as double precision)
        end as threshold_value,
        case
            when label_text in ('true', 'false')
                then cast(label_text as boolean)
        end as label_value,
        -- Year, month and day, each behind a guard on its own characters (cheap to repeat;
        -- the whole time's shape is checked once, in times_cast).
        case
            when substr(predicted_at_text, 1, 4) ~ '^[0-9]{4}$'
                then cast(substr(predicted_at_text, 1, 4) as integer)
        end as predicted_year,
        case
            when substr(predicted_at_text, 6, 2) ~ '^[0-9]{2}$'
                then cast(substr(predicted_at_text, 6, 2) as integer)
        end as predicted_month,
        case
            when substr(predicted_at_text, 9, 2) ~ '^[0-9]{2}$'
                then cast(substr(predicted_at_text, 9, 2) as integer)
        end as predicted_day

    from field_texts

),

days_in_month as (

    select
        *,
        case
            when predicted_month = 2
                and (
                    (predicted_year % 4 = 0 and predicted_year % 100 <> 0)
                    or predicted_year % 400 = 0
                )
                then 29
            when predicted_month = 2 then 28
            when predicted_month in (4, 6, 9, 11) then 30
            else 31
        end as predicted_month_days

    from values_cast

),

times_cast as (

    -- ISO-8601 with an offset, every part in range, and a day that exists in its month.
    select
        *,
        case
            when predicted_at_text
                ~ '^[1-9][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?(?:Z|[+-](?:0[0-9]|1[0-4]):[0-5][0-9])$'
                and predicted_day <= predicted_month_days
                then cast(predicted_at_text as timestamptz)
        end as predicted_at_value

    from days_in_month

),

checked as (

    -- The first rule a message breaks, naming the field and what it must hold. Used
    -- twice below (valid and rejected), so Postgres evaluates it once per row.
    select
        *,
        case
            when lead_id_value is null
                then 'lead_id: expected a positive whole number'
            when experiment_bucket_text is null
                or experiment_bucket_text not in ('control', 'experiment')
                then 'experiment_bucket: expected "control" or "experiment"'
            when model_version_text is null or model_version_text = ''
                then 'model_version: expected a non-empty string'
            when score_value is null or score_value < 0 or score_value > 1
                then 'score: expected a number between 0 and 1'
            when threshold_value is null
                or threshold_value < 0
                or threshold_value > 1
                then 'threshold: expected a number between 0 and 1'
            when label_value is null
                then 'label: expected true or false'
            when predicted_at_value is null
                then 'predicted_at: expected an ISO-8601 time with an offset, like 2026-01-01T00:00:00Z'
        end as rejection_reason

    from times_cast

),

valid as (

    select
        ----------  timestamps (of the message)
        received_at,

        ----------  validity
        true as is_valid,
        cast(null as text) as rejection_reason,

        ----------  ids
        lead_id_value as lead_id,

        ----------  dimensions
        experiment_bucket_text as experiment_bucket,
        model_version_text as model_version,

        ----------  measures
        score_value as score,
        threshold_value as threshold,

        ----------  booleans
        label_value as label,

        ----------  timestamps (of the prediction)
        predicted_at_value as predicted_at

    from checked
    where rejection_reason is null

),

rejected as (

    select received_at, rejection_reason from checked
    where rejection_reason is not null

    union all

    select received_at, rejection_reason from unreadable

),

rejected_typed as (

    select
        received_at,
        false as is_valid,
        rejection_reason,
        cast(null as bigint) as lead_id,
        cast(null as text) as experiment_bucket,
        cast(null as text) as model_version,
        cast(null as double precision) as score,
        cast(null as double precision) as threshold,
        cast(null as boolean) as label,
        cast(null as timestamptz) as predicted_at

    from rejected

),

final as (

    select * from valid
    union all
    select * from rejected_typed

)

select * from final;
