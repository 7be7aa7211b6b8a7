-- scripts/migrate/sql/table-columns.sql
--
-- The columns of the ordinary tables in the schemas named by $1 (a text[]): name, type as
-- Postgres spells it (format_type, so varchar(20) and numeric(10,2) keep their modifiers),
-- NOT NULL, and whether the column fills itself (a default, an identity or a generated
-- column). Read by scripts/migrate/table-shapes.ts, once for the tables that exist and once
-- for the same CREATE TABLE statements replayed in a scratch schema.
-- Why pg_attribute and not information_schema.columns? information_schema shows only the
-- tables the current role has privileges on, and spells types without their modifiers.

select
    namespaces.nspname                                          as table_schema,
    tables.relname                                              as table_name,
    columns.attname                                             as column_name,
    format_type(columns.atttypid, columns.atttypmod)            as data_type,
    columns.attnotnull                                          as not_null,
    (columns.atthasdef or columns.attidentity <> '' or columns.attgenerated <> '') as fills_itself
from pg_catalog.pg_attribute as columns
join pg_catalog.pg_class as tables on tables.oid = columns.attrelid
join pg_catalog.pg_namespace as namespaces on namespaces.oid = tables.relnamespace
where namespaces.nspname = any($1::text[])
    and tables.relkind in ('r', 'p')
    and columns.attnum > 0
    and not columns.attisdropped
order by table_schema, table_name, columns.attnum
