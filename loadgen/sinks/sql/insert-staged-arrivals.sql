-- A replayed batch, staged by stage-arrivals.sql: every row that is already there is left
-- alone (a coupon's id is its lead's, and the outbox is keyed by lead), so no lead, coupon or
-- scheduled conversion is ever written twice. Leads first: a coupon needs its lead.
insert into public.leads (
    id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type,
    converted_at, conversion_amount
)
select id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type,
       converted_at, conversion_amount
from pg_temp.staged_leads
on conflict (id) do nothing;

insert into public.coupons (id, lead_id, amount, created_at)
select id, lead_id, amount, created_at
from pg_temp.staged_coupons
on conflict (id) do nothing;

insert into loadgen.scheduled_conversions (lead_id, due_at, conversion_amount)
select lead_id, due_at, conversion_amount
from pg_temp.staged_conversions
on conflict (lead_id) do nothing;
