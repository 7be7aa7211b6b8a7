-- postgres/10_tables.sql
--
-- Teaching point: the operational tables the shop's backend writes, as in the seed post,
--                 plus the attributes a real lead carries so metrics can be sliced later.
-- Grain:          leads: one row per lead (a visitor); coupons: one row per coupon offered.
-- Written by:     the load generator (loadgen/sinks/postgres.ts), with explicit timestamps
--                 from its own clock: no DEFAULT now(), so a seeded run is reproducible.
-- Read by:        Materialize through the publication in 30_publication.sql.
-- Why not SERIAL ids as in the seed? The generator derives every lead from (seed, id), so it
--                 chooses ids itself; a restarted generator resumes at max(id) + 1 and can
--                 never write the same lead twice (the primary key refuses it).

create table if not exists public.leads (
    id                bigint primary key,
    email             text not null,
    created_at        timestamptz not null,
    converted_at      timestamptz,
    conversion_amount integer check (conversion_amount > 0),
    utm_source        text not null,
    utm_medium        text not null,
    utm_campaign      text not null,
    country_code      text not null,
    device_type       text not null,
    check ((converted_at is null) = (conversion_amount is null))
);

comment on column public.leads.conversion_amount is
    'Value of the first purchase in integer cents; NULL until the lead converts.';
comment on column public.leads.converted_at is
    'When the lead bought; NULL until then. Written by the generator''s clock.';

-- One coupon per lead in this shop, so a coupon's id is its lead's id: a restarted
-- generator cannot issue the same coupon twice.
create table if not exists public.coupons (
    id         bigint primary key,
    lead_id    bigint not null references public.leads (id),
    amount     integer not null check (amount > 0),
    created_at timestamptz not null
);

comment on column public.coupons.amount is 'Face value in integer cents; costs money only if redeemed.';

create index if not exists coupons_lead_id_idx on public.coupons (lead_id);

-- Materialize replicates whole rows: the primary key alone is rejected.
alter table public.leads replica identity full;
alter table public.coupons replica identity full;
