-- materialize/40_per_lead/30_int_leads_matured.checks.sql
--
-- Invariants of int_leads_matured: each query returns the rows that break one, so every
-- query must return nothing. Run by the tests (test/sql/) at many evaluation times; never
-- applied as a migration (the `checks` tag).

-- One row per lead, whatever the duplicates and coupons upstream.
select lead_id, count(*) as rows_for_lead
from int_leads_matured
group by lead_id
having count(*) > 1;

-- No prediction means bucket `unknown`, and only then.
select lead_id, experiment_bucket, is_scored
from int_leads_matured
where (experiment_bucket = 'unknown') = is_scored;

-- Money only moves when the lead converted within the horizon.
select lead_id, converted, revenue_cents, coupon_cost_cents
from int_leads_matured
where not converted
    and (revenue_cents <> 0 or coupon_cost_cents <> 0);

-- The first window ends at matured_at rounded up to a whole second.
select lead_id, matured_at, first_window_end
from int_leads_matured
where first_window_end < matured_at
    or first_window_end >= matured_at + interval '1 second'
    or date_trunc('second', first_window_end) <> first_window_end;
