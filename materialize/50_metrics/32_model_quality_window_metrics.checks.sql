-- materialize/50_metrics/32_model_quality_window_metrics.checks.sql
--
-- Invariants of model_quality_window_metrics and its reliability table: each query returns
-- the rows that break one, so every query must return nothing. Run by the tests (test/sql/);
-- never applied as a migration (the `checks` tag).

-- One row per (window_end, experiment_bucket), never for `unknown`.
select window_end, experiment_bucket, count(*) as rows_for_key
from model_quality_window_metrics
group by window_end, experiment_bucket
having count(*) > 1 or experiment_bucket = 'unknown';

-- The scored leads are the classifier's scored leads, window by window.
select q.window_end, q.experiment_bucket, q.num_scored, c.num_scored as classifier_num_scored
from model_quality_window_metrics as q
left join classifier_window_metrics as c
    on c.window_end = q.window_end and c.experiment_bucket = q.experiment_bucket
where c.num_scored is distinct from q.num_scored
    or c.true_positives + c.false_negatives <> q.num_positive;

-- Ratios in range; AUC NULL exactly when one class is missing.
select window_end, experiment_bucket, roc_auc, brier_score, expected_calibration_error
from model_quality_window_metrics
where roc_auc not between 0 and 1
    or (roc_auc is null) <> (num_positive = 0 or num_positive = num_scored)
    or brier_score not between 0 and 1
    or log_loss < 0
    or expected_calibration_error not between 0 and 1
    or mean_score is null;

-- The reliability table's deciles add up to the window's scored leads.
select q.window_end, q.experiment_bucket, q.num_scored, sum(r.num_scored) as decile_leads
from model_quality_window_metrics as q
left join model_quality_window_reliability as r
    on r.window_end = q.window_end and r.experiment_bucket = q.experiment_bucket
group by q.window_end, q.experiment_bucket, q.num_scored, q.num_positive
having sum(r.num_scored) is distinct from q.num_scored
    or sum(r.num_positive) is distinct from q.num_positive;
