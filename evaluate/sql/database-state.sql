-- Is this database empty, or one that evaluate prepared before? (its tables, and its mark)
select
    (select count(*) from pg_catalog.pg_tables where schemaname in ('public', 'loadgen')) as tables,
    (select pg_catalog.shobj_description(oid, 'pg_database') from pg_catalog.pg_database
     where datname = current_database()) as mark
