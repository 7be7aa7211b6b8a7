-- The ground truth of one run, in incident order.
select incident_id, kind, starts_at, ends_at, params
from public.scenario_incidents
where run_id = $1
order by incident_id
