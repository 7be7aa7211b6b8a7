-- materialize/10_connections/10_postgres_connection.sql
--
-- Teaching point: Materialize keeps credentials in secrets and reaches other systems through
--                 named connections. Host, port, user, password, database and TLS mode come
--                 from configuration (MZ_PG_*), so one file serves the emulator, self-managed
--                 Materialize and Materialize Cloud.
-- Grain:          one secret (the replication role's password) and one connection.
-- Reads:          configuration, filled in by scripts/migrate.ts as :'name' literals.
-- Read by:        20_sources/10_postgres_source.sql.
-- Why not the blog's `CONNECTION 'host=postgres user=postgres ...'` inside CREATE SOURCE?
--                 That syntax no longer exists, and a password typed into DDL ends up in the
--                 catalog. A secret is stored apart and can be rotated with ALTER SECRET.
--                 (`create secret if not exists` alone would keep the FIRST password forever:
--                 a rerun after MZ_PG_PASSWORD changed would succeed and leave the old one.
--                 So the value is set again with `alter secret`: a rerun with the same
--                 configuration changes nothing. A running source may keep using the value it
--                 cached; new connections and sources read the new one.)

create secret if not exists pg_password as :'pg_password';

alter secret pg_password as :'pg_password';

create connection if not exists pg_connection to postgres (
    host :'pg_host',
    port :pg_port,
    user :'pg_user',
    password secret pg_password,
    database :'pg_database',
    ssl mode :'pg_ssl_mode'
);
