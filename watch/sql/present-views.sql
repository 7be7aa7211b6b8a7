-- Which of the views named in $1 exist here (the signal and alert views are optional).
select table_name::text as name
from information_schema.tables
where table_name = any($1::text[])
