-- postgres/15_monitoring_tables.sql
--
-- Teaching point: monitoring needs facts that only the simulator knows (what was broken on
--                 purpose, and when; the experiment's designed split; what the model saw in
--                 training). Written as rows beside the shop's data, they reach the streaming
--                 engine by the same replication as the leads, so no SQL holds a constant
--                 that only the generator knows.
-- Grain:          scenario_incidents: one row per injected incident of a run (ground truth);
--                 experiment_design: one row per experiment bucket;
--                 model_reference_distribution: one row per (model_version, feature, value).
-- Written by:     the load generator at start-up, idempotently (a rerun writes the same rows).
-- Read by:        Materialize through the publication in 30_publication.sql; the signal and
--                 alert views; the dashboard's incidents card.
-- Why tables and not settings? A user can read them, join them and (for the design) see
--                 that a broken split did not change what was designed: that is the point.

create table if not exists public.scenario_incidents (
    run_id      text        not null,
    incident_id integer     not null check (incident_id >= 1),
    kind        text        not null,
    starts_at   timestamptz not null,
    ends_at     timestamptz check (ends_at is null or ends_at > starts_at),
    params      jsonb       not null default '{}'::jsonb,
    primary key (run_id, incident_id)
);

comment on column public.scenario_incidents.ends_at is
    'When the incident stops; NULL = it lasts until the run ends.';

create table if not exists public.experiment_design (
    experiment_bucket text             primary key check (experiment_bucket in ('control', 'experiment')),
    expected_share    double precision not null check (expected_share > 0 and expected_share < 1)
);

comment on column public.experiment_design.expected_share is
    'The configured share of leads assigned to this bucket (0..1); a split bug does not change it.';

create table if not exists public.model_reference_distribution (
    model_version   text   not null,
    feature         text   not null,
    value           text   not null,
    reference_count bigint not null check (reference_count >= 0),
    primary key (model_version, feature, value)
);

comment on column public.model_reference_distribution.reference_count is
    'Leads with this value in the seeded baseline sample (training-time reference), a count.';

-- Materialize replicates whole rows: the primary key alone is rejected.
alter table public.scenario_incidents replica identity full;
alter table public.experiment_design replica identity full;
alter table public.model_reference_distribution replica identity full;
