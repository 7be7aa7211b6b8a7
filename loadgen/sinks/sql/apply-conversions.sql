-- Conversions that fell due: the lead's row is updated once (a replay finds converted_at set
-- and changes nothing) and the outbox row is marked applied at the conversion's own time.
with due as (
    select lead_id, converted_at, conversion_amount
    from unnest($1::bigint[], $2::timestamptz[], $3::integer[]) as batch (lead_id, converted_at, conversion_amount)
),

-- A data-modifying CTE runs whether or not anything reads it.
converted as (
    update public.leads as l
    set converted_at = due.converted_at, conversion_amount = due.conversion_amount
    from due
    where l.id = due.lead_id and l.converted_at is null
)

update loadgen.scheduled_conversions as s
set applied_at = due.converted_at
from due
where s.lead_id = due.lead_id and s.applied_at is null
