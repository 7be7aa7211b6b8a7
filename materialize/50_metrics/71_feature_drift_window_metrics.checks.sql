-- materialize/50_metrics/71_feature_drift_window_metrics.checks.sql
--
-- Invariants of feature_drift_window_metrics: each query returns the rows that break one, so
-- every query must return nothing. Run by the tests (test/sql/); never applied as a
-- migration (the `checks` tag).

-- One row per (window_end, model_version, feature).
select window_end, model_version, feature, count(*) as rows_for_key
from feature_drift_window_metrics
group by window_end, model_version, feature
having count(*) > 1;

-- Every lead has one value of every feature: the features of a window count the same leads.
select window_end, model_version, min(num_leads) as fewest, max(num_leads) as most
from feature_drift_window_metrics
group by window_end, model_version
having min(num_leads) <> max(num_leads) or count(*) <> 2;

-- PSI is a sum of terms (q − p)·ln(q / p) >= 0; NULL exactly when there is no reference.
select d.window_end, d.model_version, d.feature, d.psi
from feature_drift_window_metrics as d
where d.psi < -1e-12
    or d.num_other_leads not between 0 and d.num_leads
    or (d.psi is null) = exists (
        select 1
        from model_reference_distribution as r
        where r.model_version = d.model_version and r.feature = d.feature
    );
