-- Conversions that fell due: the lead's row is updated once (a replay finds converted_at set
-- and changes nothing). Setting converted_at is also what marks the outbox row done: the
-- pending conversions are the outbox rows whose lead has not converted (pending-conversions.sql).
update public.leads as l
set converted_at = due.converted_at, conversion_amount = due.conversion_amount
from unnest($1::bigint[], $2::timestamptz[], $3::integer[]) as due (lead_id, converted_at, conversion_amount)
where l.id = due.lead_id and l.converted_at is null
