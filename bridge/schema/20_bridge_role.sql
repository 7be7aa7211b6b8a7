-- bridge/schema/20_bridge_role.sql
--
-- Teaching point: least privilege for a copier. The bridge (npm run bridge) logs in as
--                 lab_bridge, which can append to the raw predictions table and keep its own
--                 offsets, and nothing else: it cannot read a lead, change a view or create a
--                 table, so a bug in it cannot touch the shop's data.
-- Grain:          one role, cluster-wide; its grants, per database.
--   public.conversion_predictions_raw   insert only (it never reads back what it stored)
--   lab_bridge.consumed_offsets         select, insert, update (select ... for update locks
--                                       a partition's row; no delete)
--   schema lab_bridge                   usage only: it is owned by the migrating superuser,
--                                       so the bridge cannot create objects in it
-- Read by:        bridge/store.ts (check-privileges.sql names what is missing at start-up).
-- The password arrives as :'bridge_password' (BRIDGE_PG_PASSWORD, local default `bridge`,
-- documented in .env.example), as 40_roles.sql does for lab_loadgen.
-- Why not let the bridge connect as the superuser, as the migration does? Then a wrong table
--                 name in its SQL, or a crafted message that found a way into a statement,
--                 could read or change anything in the database.

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'lab_bridge') then
        create role lab_bridge login;
    end if;
exception
    -- Roles are cluster-wide: a migration of another database may have created it meanwhile.
    when duplicate_object or unique_violation then null;
end
$$;

alter role lab_bridge with login password :'bridge_password';

grant usage on schema public, lab_bridge to lab_bridge;
grant insert on public.conversion_predictions_raw to lab_bridge;
grant select, insert, update on lab_bridge.consumed_offsets to lab_bridge;
