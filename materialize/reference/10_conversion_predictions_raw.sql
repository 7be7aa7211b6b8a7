-- materialize/reference/10_conversion_predictions_raw.sql
--
-- Teaching point: the reference engine. Plain Postgres runs the same views as Materialize,
--                 so their answers can be checked by tests; this table stands in for the
--                 Kafka source and has its columns: the message value as raw `text` (NULL for
--                 a message without a value) and the broker's timestamp as `received_at`.
-- Grain:          one row per prediction message, duplicates and malformed ones included.
-- Written by:     tests (and anyone replaying a topic into Postgres).
-- Read by:        30_staging/25_stg_prediction_messages.sql.
-- Runs only in:   `npm run migrate -- --target reference` (never in Materialize).
-- Why not `data jsonb`, or a typed table? Either would refuse a malformed message at the
--                 door, so the reference would never run the guarded parsing that Materialize
--                 runs, and that step could not be tested. Text takes whatever a producer sends.

create table if not exists public.conversion_predictions_raw (
    text text,
    received_at timestamptz not null
);
