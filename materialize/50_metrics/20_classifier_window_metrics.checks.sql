-- materialize/50_metrics/20_classifier_window_metrics.checks.sql
--
-- Invariants of classifier_window_metrics (and so of classifier_metrics): each query
-- returns the rows that break one, so every query must return nothing. Run by the tests
-- (test/sql/); never applied as a migration (the `checks` tag).

-- One row per (window_end, experiment_bucket).
select window_end, experiment_bucket, count(*) as rows_for_key
from classifier_window_metrics
group by window_end, experiment_bucket
having count(*) > 1;

-- The confusion matrix covers exactly the scored leads; `unknown` holds only unscored ones.
select window_end, experiment_bucket, num_leads, num_scored
from classifier_window_metrics
where
    true_positives + false_positives + true_negatives + false_negatives
        <> num_scored
    or (experiment_bucket = 'unknown') <> (num_scored = 0)
    or (experiment_bucket <> 'unknown' and num_scored <> num_leads);

-- Ratios are NULL or between 0 and 1; NULL exactly when their denominator is 0.
select window_end, experiment_bucket, precision, recall, f1_score, accuracy
from classifier_window_metrics
where precision not between 0 and 1
    or recall not between 0 and 1
    or f1_score not between 0 and 1
    or accuracy not between 0 and 1
    or conversion_rate not between 0 and 1
    or (precision is null) <> (true_positives + false_positives = 0)
    or (recall is null) <> (true_positives + false_negatives = 0)
    or (accuracy is null) <> (num_scored = 0);

-- Net revenue is revenue minus redeemed coupons, per lead as in total.
select window_end, experiment_bucket, revenue_dollars, coupon_cost_dollars
from classifier_window_metrics
where net_revenue_dollars <> revenue_dollars - coupon_cost_dollars
    or abs(net_revenue_per_lead_dollars - net_revenue_dollars / num_leads)
        > 1e-9;

-- Windows are named by whole seconds.
select window_end, experiment_bucket
from classifier_window_metrics
where date_trunc('second', window_end) <> window_end;
