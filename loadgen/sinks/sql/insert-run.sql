-- Start-up: a new run ($1 run_id, $2 run_key, $3 scenario name, $4 started_at, $5 incidents).
-- A replay of the same start finds the row there and changes nothing.
insert into loadgen.runs (run_id, run_key, scenario_name, started_at, incidents)
values ($1, $2, $3, $4, $5::jsonb)
on conflict (run_id) do nothing
