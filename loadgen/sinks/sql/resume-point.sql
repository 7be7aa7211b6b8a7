-- Start-up: where a restarted generator continues (the next lead id, the last arrival time).
select
    coalesce(max(id), 0)::text as last_lead_id,
    max(created_at) as last_created_at
from public.leads
