-- The outbox: each conversion decided at a lead's arrival, written in the lead's transaction.
insert into loadgen.scheduled_conversions (lead_id, due_at, conversion_amount)
select lead_id, due_at, conversion_amount
from unnest($1::bigint[], $2::timestamptz[], $3::integer[]) as batch (lead_id, due_at, conversion_amount)
on conflict (lead_id) do nothing
