-- Test seam: hand-built signal windows in place of the signal views. The table has the columns
-- of int_alert_signal_values; the view is replaced by one reading it with the same visibility
-- rule as every signal view (E <= mz_now() < E + 10 minutes), so alert_window_firings and
-- monitoring_alerts run unchanged on windows whose values a test chose.
create table if not exists hand_signal_values (
    signal text not null,
    subject text,
    window_end timestamptz not null,
    value double precision not null,
    num_leads bigint not null,
    hop_seconds integer not null
);

create or replace view int_alert_signal_values as
select signal, subject, window_end, value, num_leads, hop_seconds
from hand_signal_values
where mz_now() >= window_end
    and mz_now() < window_end + interval '10 minutes';
