-- Test data: alert_rules rows as column arrays ($1..$8).
insert into alert_rules
    (rule_name, signal, subject, direction, threshold, min_leads, consecutive_windows, enabled)
select *
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::bigint[], $7::int[], $8::bool[])
