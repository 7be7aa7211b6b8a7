-- Start-up: conversions scheduled by an earlier run that were never applied.
select
    lead_id::text as lead_id,
    due_at,
    conversion_amount
from loadgen.scheduled_conversions
where applied_at is null
order by due_at, lead_id
