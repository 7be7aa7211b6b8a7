-- postgres/30_publication.sql
--
-- Teaching point: logical replication to Materialize needs a publication naming the tables.
-- Grain:          one publication, `mz_source`, for the shop's tables (leads, coupons) and the
--                 monitoring facts of 15_monitoring_tables.sql and the alert rules of
--                 17_alert_rules.sql.
-- Read by:        the Materialize source in materialize/20_sources/.
-- Why not FOR ALL TABLES? It would also publish the generator's private bookkeeping.

do $$
declare
    published text;
begin
    if not exists (select 1 from pg_publication where pubname = 'mz_source') then
        create publication mz_source for table public.leads, public.coupons;
    end if;
    -- A database migrated by an earlier version has the publication without the newer
    -- tables: add each one that is missing, so a rerun converges on the same publication.
    foreach published in array array['scenario_incidents', 'experiment_design', 'model_reference_distribution',
                             'alert_rules']
    loop
        if not exists (select 1 from pg_publication_tables
                       where pubname = 'mz_source' and schemaname = 'public' and tablename = published) then
            execute format('alter publication mz_source add table public.%I', published);
        end if;
    end loop;
end
$$;
