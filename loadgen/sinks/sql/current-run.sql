-- Start-up: the newest run, whose timeline a restart with the same run_key resumes.
select run_id, run_key, started_at
from loadgen.runs
order by started_at desc, run_id desc
limit 1
