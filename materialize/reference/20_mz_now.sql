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
-- Why stable, not immutable? Immutable would let the planner compute the time once, while
--                 planning, and the reads would be about 1.5 to 2 times faster (measured
--                 with npm run bench:sql). But a plan that is kept would keep its time: a
--                 prepared or named statement, a PL/pgSQL function, or a JDBC client (which
--                 prepares a statement run five times) would go on answering for the first
--                 `lab.now` it saw, silently. A reference must never answer for the wrong
--                 time, so the function is stable: read anew by every execution
--                 (test/sql/mz-now-fallback.test.ts checks it for a prepared statement).

create or replace function public.mz_now()
returns timestamptz
language sql
stable
as $$
    select coalesce(
        cast(nullif(current_setting('lab.now', true), '') as timestamptz),
        now()
    )
$$;
