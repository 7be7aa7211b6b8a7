-- materialize/reference/10_conversion_predictions_raw.sql
--
-- Teaching point: the reference engine. Plain Postgres runs the same views as Materialize,
--                 so their answers can be checked by tests; this table stands in for the
--                 Kafka source and has its shape: one jsonb column called `data`.
-- Grain:          one row per prediction message, duplicates included.
-- Written by:     tests (and anyone replaying a topic into Postgres).
-- Read by:        30_staging/30_stg_predictions.sql.
-- Runs only in:   `npm run migrate -- --target reference` (never in Materialize).
-- Why not a typed table? Then the reference would skip the JSON typing that Materialize
--                 does, and that step could not be tested.

create table if not exists public.conversion_predictions_raw (
    data jsonb not null
);
