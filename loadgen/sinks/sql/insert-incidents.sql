-- Ground truth: the run's incidents, as column arrays. Written at every start of the run;
-- a row that is already there is left alone (the timeline never moves).
insert into public.scenario_incidents (run_id, incident_id, kind, starts_at, ends_at, params)
select $1, incident_id, kind, starts_at, ends_at, params
from unnest($2::integer[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::jsonb[])
    as batch (incident_id, kind, starts_at, ends_at, params)
on conflict (run_id, incident_id) do nothing
