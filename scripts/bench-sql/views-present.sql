-- npm run bench:sql: which of the serving views ($1, names) exist in this database.
select viewname
from pg_views
where schemaname = 'public' and viewname = any($1::text[])
