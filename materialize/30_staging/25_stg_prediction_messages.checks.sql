-- materialize/30_staging/25_stg_prediction_messages.checks.sql
--
-- Invariants of stg_prediction_messages: each query returns the rows that break one, so every
-- query must return nothing. Run by the tests (test/sql/); never applied.

-- A message is valid exactly when no reason is given, and then every typed column is set.
select received_at, is_valid, rejection_reason
from stg_prediction_messages
where is_valid is null
    or is_valid <> (rejection_reason is null)
    or (
        is_valid
        and (
            lead_id is null or experiment_bucket is null or model_version is null
            or score is null or threshold is null or label is null or predicted_at is null
        )
    );

-- A rejected message carries no typed value, so nothing downstream can use it by mistake.
select received_at, rejection_reason
from stg_prediction_messages
where not is_valid
    and (
        lead_id is not null or experiment_bucket is not null or model_version is not null
        or score is not null or threshold is not null or label is not null
        or predicted_at is not null
    );

-- Valid values are in their ranges.
select received_at, lead_id, experiment_bucket, score, threshold
from stg_prediction_messages
where is_valid
    and (
        lead_id <= 0
        or experiment_bucket not in ('control', 'experiment')
        or score not between 0 and 1
        or threshold not between 0 and 1
    );
