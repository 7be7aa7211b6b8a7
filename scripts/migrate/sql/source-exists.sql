-- scripts/migrate/sql/source-exists.sql
--
-- Whether Materialize already has a source named $1 in the database and schema this
-- migration writes to: if so, its replication slot upstream is in use (perhaps only
-- momentarily inactive) and must be left alone.

select count(*)::integer as sources
from mz_catalog.mz_sources as sources
join mz_catalog.mz_schemas as schemas on schemas.id = sources.schema_id
join mz_catalog.mz_databases as databases on databases.id = schemas.database_id
where sources.name = $1
    and schemas.name = current_schema()
    and databases.name = current_database()
