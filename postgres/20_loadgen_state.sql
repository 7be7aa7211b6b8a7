-- postgres/20_loadgen_state.sql
--
-- Teaching point: a delayed outcome (and a timeline of incidents) must survive a crash of
--                 whatever is waiting for it.
-- Grain:          scheduled_conversions: one row per lead that will convert after its own
--                 batch, written in the same transaction as the lead itself (an outbox; a
--                 conversion due within the lead's batch is written with the lead instead);
--                 runs: one row per run of
--                 a scenario (its start anchors the incidents' times).
-- Written by:     the load generator when it inserts a lead (by COPY, with the lead); never
--                 updated. A run row at start-up.
-- Read by:        the load generator at start-up: every row whose lead has not converted yet
--                 goes back into its future-events queue, so a conversion due while it was
--                 down still lands; the newest run is resumed when seed and scenario are the same.
-- Why no "applied" flag, foreign key or index on due_at? The obvious outbox marks each row
--                 applied and checks each lead_id against leads. Here the lead's own
--                 converted_at already says whether the conversion landed (it is set in the
--                 same transaction, and only once), and the lead is written in the very
--                 transaction that writes the row. Marking, checking and indexing took a
--                 fifth of the server's time for the generator's writes (statement times in
--                 the server's log, 200,000 leads: 3.5 s with them, 2.8 s without); finding
--                 the pending rows is a join read once, at start-up.
-- Why a private schema? It is the simulator's bookkeeping, not shop data: it is not in the
--                 publication, and Materialize never sees it.

create schema if not exists loadgen;

create table if not exists loadgen.scheduled_conversions (
    lead_id           bigint primary key,
    due_at            timestamptz not null,
    conversion_amount integer not null check (conversion_amount > 0)
);

-- A database migrated before the outbox lost its flag, key check and index converges here.
alter table loadgen.scheduled_conversions drop constraint if exists scheduled_conversions_lead_id_fkey;
drop index if exists loadgen.scheduled_conversions_pending_idx;
alter table loadgen.scheduled_conversions drop column if exists applied_at;

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
