-- Start-up: conversions scheduled by an earlier run that were never applied, i.e. whose lead
-- has not converted yet (apply-conversions.sql sets converted_at and nothing else).
select
    s.lead_id::text as lead_id,
    s.due_at,
    s.conversion_amount
from loadgen.scheduled_conversions as s
inner join public.leads as l on l.id = s.lead_id
where l.converted_at is null
order by s.due_at, s.lead_id
