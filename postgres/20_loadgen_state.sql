-- postgres/20_loadgen_state.sql
--
-- Teaching point: a delayed outcome (and a timeline of incidents) must survive a crash of
--                 whatever is waiting for it.
-- Grain:          scheduled_conversions: one row per lead that will convert, written in the
--                 same transaction as the lead itself (an outbox); runs: one row per run of
--                 a scenario (its start anchors the incidents' times).
-- Written by:     the load generator when it inserts a lead; marked applied when the
--                 conversion is written to public.leads. A run row at start-up.
-- Read by:        the load generator at start-up: every unapplied row goes back into its
--                 future-events queue, so a conversion due while it was down still lands;
--                 the newest run is resumed when seed and scenario are the same.
-- Why a private schema? It is the simulator's bookkeeping, not shop data: it is not in the
--                 publication, and Materialize never sees it.

create schema if not exists loadgen;

create table if not exists loadgen.scheduled_conversions (
    lead_id           bigint primary key references public.leads (id),
    due_at            timestamptz not null,
    conversion_amount integer not null check (conversion_amount > 0),
    applied_at        timestamptz
);

create index if not exists scheduled_conversions_pending_idx
    on loadgen.scheduled_conversions (due_at)
    where applied_at is null;

-- One row per run of a scenario: the anchor of its timeline. A restarted generator with the
-- same seed and scenario (same run_key) resumes the newest run, so its incidents keep their
-- original times; another seed or scenario starts a new run.
create table if not exists loadgen.runs (
    run_id        text        primary key,
    run_key       text        not null,
    scenario_name text        not null,
    started_at    timestamptz not null,
    incidents     jsonb       not null default '[]'::jsonb
);

comment on column loadgen.runs.run_key is
    'A digest of the run seed and the scenario as loaded: equal keys resume the same run.';
