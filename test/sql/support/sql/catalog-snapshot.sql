-- Everything the migrations create or change in a database, as (kind, name, detail) rows,
-- so two snapshots can be compared. OIDs are included: an object dropped and re-created
-- would get a new one. Role passwords are left out (setting the same password again makes
-- a new salted hash).
select 'relation' as kind, n.nspname || '.' || c.relname as name,
    c.relkind::text || ' oid=' || c.oid || ' replident=' || c.relreplident::text
        || ' acl=' || coalesce(c.relacl::text, '') as detail
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname in ('public', 'loadgen', 'lab_bridge')
union all
select 'column', n.nspname || '.' || c.relname || '.' || a.attname,
    format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
where n.nspname in ('public', 'loadgen', 'lab_bridge') and a.attnum > 0 and not a.attisdropped
union all
select 'view', schemaname || '.' || viewname, definition
from pg_views
where schemaname in ('public', 'loadgen', 'lab_bridge')
union all
select 'function', n.nspname || '.' || p.proname, 'oid=' || p.oid || ' ' || pg_get_functiondef(p.oid)
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
where n.nspname in ('public', 'loadgen', 'lab_bridge')
union all
select 'index', schemaname || '.' || indexname, indexdef
from pg_indexes
where schemaname in ('public', 'loadgen', 'lab_bridge')
union all
select 'trigger', tgrelid::regclass::text || '.' || tgname, 'oid=' || oid || ' ' || pg_get_triggerdef(oid)
from pg_trigger
where not tgisinternal
    and tgrelid in (
        select c.oid from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'loadgen')
    )
union all
select 'constraint', conrelid::regclass::text || '.' || conname, 'oid=' || oid || ' ' || pg_get_constraintdef(oid)
from pg_constraint
where connamespace in (select oid from pg_namespace where nspname in ('public', 'loadgen', 'lab_bridge'))
union all
select 'publication', p.pubname, 'oid=' || p.oid || ' ' || string_agg(t.schemaname || '.' || t.tablename, ',' order by t.tablename)
from pg_publication p
left join pg_publication_tables t on t.pubname = p.pubname
group by p.pubname, p.oid
union all
select 'role', rolname, 'oid=' || oid || ' login=' || rolcanlogin || ' replication=' || rolreplication
from pg_roles
where rolname in ('lab_loadgen', 'materialize', 'lab_bridge')
union all
select 'schema', nspname, 'oid=' || oid || ' acl=' || coalesce(nspacl::text, '')
from pg_namespace
where nspname in ('public', 'loadgen', 'lab_bridge')
union all
select 'comment', objoid::regclass::text || '.' || objsubid, description
from pg_description
where classoid = 'pg_class'::regclass
    and objoid in (
        select c.oid from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'loadgen', 'lab_bridge')
    )
order by kind, name
