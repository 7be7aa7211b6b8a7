-- One batch of new leads, as column arrays ($1..$8). A lead that is already there (a batch
-- replayed after a crash or reconnect) is left alone: no lead is ever written twice.
insert into public.leads (
    id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type
)
select id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type
from unnest(
    $1::bigint[], $2::text[], $3::timestamptz[], $4::text[],
    $5::text[], $6::text[], $7::text[], $8::text[]
) as batch (id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type)
on conflict (id) do nothing
