-- materialize/reference/20_mz_now.sql
--
-- Teaching point: in Materialize, mz_now() is the logical time of a query, and a view that
--                 compares it with a timestamp changes as time passes. The reference engine
--                 imitates it with a setting: `set lab.now = '2026-01-01T00:02:00Z'`, then
--                 `select * from classifier_metrics` answers what Materialize shows at that
--                 time.
-- Grain:          one function.
-- Read by:        every temporal filter in 30_staging/ to 50_metrics/.
-- Runs only in:   `npm run migrate -- --target reference`.
-- Why not now()? now() is the wall clock: tests need to choose the time, exactly. Without
--                 `lab.now` (unset, or set to the empty string) the function does fall back
--                 to now(), the start of the current transaction, so a student's ad hoc
--                 `select * from classifier_metrics` answers for the present, as Materialize
--                 would, instead of failing.
-- Why immutable, when it reads a setting? So the planner calls it once, while it plans the
--                 query, and every temporal filter compares with a constant, as mz_now() is
--                 one time for the whole of a query in Materialize. Declared stable, it was
--                 inlined and the setting read and parsed again for every row a filter
--                 looks at: a million rows fanned out to their windows paid about a second
--                 for it on every read. The price of the declaration: a plan that is kept
--                 keeps its time. A prepared statement (or a PL/pgSQL function) must be
--                 planned again after `set lab.now`; the lab's tools send unnamed
--                 statements, which Postgres plans on every execution.

create or replace function public.mz_now()
returns timestamptz
language sql
immutable
as $$
    select coalesce(
        cast(nullif(current_setting('lab.now', true), '') as timestamptz),
        now()
    )
$$;
