-- materialize/50_metrics/62_ab_test_window_metrics.checks.sql
--
-- Invariants of ab_test_window_metrics (and so of ab_test_metrics): each query returns the
-- rows that break one, so every query must return nothing. Run by the tests (test/sql/);
-- never applied as a migration (the `checks` tag).

-- One row per window, named by a multiple of 10 s, holding at least one lead.
select window_end, count(*) as rows_for_window
from ab_test_window_metrics
group by window_end
having count(*) > 1
    or min(control_leads + experiment_leads) < 1
    or min(extract(epoch from window_end)) <> 10 * floor(min(extract(epoch from window_end)) / 10);

-- A mean is NULL exactly when its bucket is empty; the comparison exactly when a bucket
-- holds fewer than 2 leads.
select window_end, control_leads, experiment_leads
from ab_test_window_metrics
where (control_net_revenue_per_lead_dollars is null) <> (control_leads = 0)
    or (experiment_net_revenue_per_lead_dollars is null) <> (experiment_leads = 0)
    or (uplift_dollars_per_lead is null) <> (control_leads < 2 or experiment_leads < 2)
    or (uplift_standard_error is null) <> (uplift_dollars_per_lead is null)
    or (uplift_ci_low is null) <> (uplift_dollars_per_lead is null)
    or (uplift_ci_high is null) <> (uplift_dollars_per_lead is null);

-- The interval is centred on the uplift, 1.96 standard errors each side; nothing negative
-- where it cannot be.
select window_end, uplift_dollars_per_lead, uplift_standard_error, uplift_ci_low, uplift_ci_high
from ab_test_window_metrics
where uplift_standard_error < 0
    or srm_chi_square < 0
    or uplift_ci_low > uplift_dollars_per_lead
    or uplift_ci_high < uplift_dollars_per_lead
    or abs((uplift_ci_high - uplift_ci_low) - 2 * 1.96 * uplift_standard_error)
        > 1e-9 * (1 + uplift_standard_error)
    or abs(uplift_dollars_per_lead
        - (experiment_net_revenue_per_lead_dollars - control_net_revenue_per_lead_dollars))
        > 1e-9 * (1 + abs(uplift_dollars_per_lead));

-- Shares and rates lie between 0 and 1.
select window_end, control_conversion_rate, experiment_conversion_rate, control_observed_share
from ab_test_window_metrics
where control_conversion_rate not between 0 and 1
    or experiment_conversion_rate not between 0 and 1
    or control_observed_share not between 0 and 1;
