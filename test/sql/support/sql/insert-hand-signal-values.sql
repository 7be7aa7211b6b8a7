-- Test data: hand-built signal windows as column arrays ($1..$6).
insert into hand_signal_values (signal, subject, window_end, value, num_leads, hop_seconds)
select *
from unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::bigint[], $6::int[])
