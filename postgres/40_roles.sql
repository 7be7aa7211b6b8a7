-- postgres/40_roles.sql
--
-- Teaching point: least privilege. Each program logs in as a role that can do exactly its job.
--   lab_loadgen   the load generator: select/insert/update on the shop tables and the monitoring
--                 facts (15_monitoring_tables.sql); select/insert on its outbox and runs (20_loadgen_state.sql).
--   materialize   Materialize's replication user: REPLICATION plus SELECT on the published tables.
-- Passwords arrive as psql-style variables (:'loadgen_password', :'materialize_password'),
-- filled in by the migration runner as quoted literals; local defaults are documented in
-- .env.example and overridable by env. Roles are cluster-wide, so this file is written to be
-- run against many databases of one server.

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'lab_loadgen') then
        create role lab_loadgen login;
    end if;
    if not exists (select 1 from pg_roles where rolname = 'materialize') then
        create role materialize login replication;
    end if;
end
$$;

alter role lab_loadgen with login password :'loadgen_password';
alter role materialize with login replication password :'materialize_password';

grant usage on schema public, loadgen to lab_loadgen;
grant select, insert, update on public.leads, public.coupons to lab_loadgen;
grant select, insert on loadgen.scheduled_conversions to lab_loadgen;
-- The outbox is never updated (20_loadgen_state.sql); a database migrated earlier loses the grant.
revoke update on loadgen.scheduled_conversions from lab_loadgen;
grant select, insert on loadgen.runs to lab_loadgen;
grant select, insert, update
    on public.scenario_incidents, public.experiment_design, public.model_reference_distribution
    to lab_loadgen;

grant usage on schema public to materialize;
grant select on public.leads, public.coupons to materialize;
grant select
    on public.scenario_incidents, public.experiment_design, public.model_reference_distribution,
       public.alert_rules
    to materialize;
