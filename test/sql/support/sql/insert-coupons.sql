-- Test data: coupons as column arrays ($1..$4).
insert into public.coupons (id, lead_id, amount, created_at)
select id, lead_id, amount, created_at
from unnest($1::bigint[], $2::bigint[], $3::integer[], $4::timestamptz[])
    as batch (id, lead_id, amount, created_at)
