-- materialize/20_sources/10_postgres_source.sql
--
-- Teaching point: Materialize reads Postgres' logical replication stream. Every INSERT and
--                 UPDATE of `leads` and `coupons` arrives within about a second, and an UPDATE
--                 (a lead converting) corrects every view that depends on the row.
-- Grain:          two subsources, `leads` and `coupons`, with exactly the upstream columns.
-- Reads:          the publication `mz_source` (postgres/30_publication.sql) via pg_connection.
-- Read by:        30_staging/10_stg_leads.sql, 30_staging/20_stg_coupons.sql.
-- Before it runs: scripts/migrate.ts drops inactive `materialize%` replication slots upstream,
--                 left behind by earlier emulators (the emulator keeps no state across
--                 restarts, and each start creates a new slot).
-- Why not the blog's `CREATE MATERIALIZED SOURCE ... ; CREATE VIEWS FROM SOURCE`? Both are
--                 gone; `for tables (...)` names each replicated table and its local name.

create source if not exists pg_source
    in cluster :"cluster"
    from postgres connection pg_connection (publication 'mz_source')
    for tables (
        public.leads as leads,
        public.coupons as coupons,
        public.scenario_incidents as scenario_incidents,
        public.experiment_design as experiment_design,
        public.model_reference_distribution as model_reference_distribution,
        public.alert_rules as alert_rules
    );
