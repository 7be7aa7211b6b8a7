-- postgres/30_publication.sql
--
-- Teaching point: logical replication to Materialize needs a publication naming the tables.
-- Grain:          one publication, `mz_source`, for leads and coupons.
-- Read by:        the Materialize source in materialize/20_sources/.
-- Why not FOR ALL TABLES? It would also publish the generator's private bookkeeping.

do $$
begin
    if not exists (select 1 from pg_publication where pubname = 'mz_source') then
        create publication mz_source for table public.leads, public.coupons;
    end if;
end
$$;
