-- Test data: leads as column arrays ($1..$5); utm_source defaults to 'test', the other
-- slicing attributes get fixed values.
insert into public.leads (
    id, email, created_at, converted_at, conversion_amount,
    utm_source, utm_medium, utm_campaign, country_code, device_type
)
select
    id,
    'lead' || id || '@example.test',
    created_at,
    converted_at,
    conversion_amount,
    coalesce(utm_source, 'test'),
    'test',
    'test',
    'ZZ',
    'test'
from unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::integer[], $5::text[])
    as batch (id, created_at, converted_at, conversion_amount, utm_source)
