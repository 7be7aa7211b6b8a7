-- postgres/17_alert_rules.sql
--
-- Teaching point: alert rules are data. A rule names a signal ('<view>.<column>', the
--                 names of materialize/50_metrics/90_int_alert_signal_values.sql), optionally
--                 the bucket or feature it watches, a direction and a threshold, the smallest
--                 window it trusts (`min_leads`) and how many windows in a row must cross the
--                 threshold before it fires (`consecutive_windows`). The table is replicated
--                 like the monitoring facts, so an UPDATE tunes a rule while the lab runs and
--                 `monitoring_alerts` follows within a second.
-- Grain:          one row per rule.
-- Written by:     this migration (the defaults, once: a rerun keeps a user's changes); users.
-- Read by:        Materialize through the publication in 30_publication.sql;
--                 materialize/50_metrics/91_alert_window_firings.sql.
-- Why these defaults? Each threshold was chosen from measured signal distributions of the
--                 built-in scenarios against their ground truth (docs/alerts.md lists each
--                 rule, what it catches, what it cannot see and its measured margin).
-- Why not thresholds in the view's SQL? Then tuning a rule would be a migration.

create table if not exists public.alert_rules (
    rule_name           text             primary key,
    signal              text             not null,
    subject             text,
    direction           text             not null check (direction in ('above', 'below')),
    threshold           double precision not null,
    min_leads           bigint           not null default 0 check (min_leads >= 0),
    consecutive_windows integer          not null default 1 check (consecutive_windows between 1 and 12),
    enabled             boolean          not null default true,
    description         text             not null default ''
);

comment on column public.alert_rules.signal is
    '<view>.<column> of a monitoring signal, e.g. feature_drift.psi (see docs/alerts.md).';
comment on column public.alert_rules.subject is
    'The bucket or feature the rule watches; NULL = every one (the alert names which fired).';
comment on column public.alert_rules.consecutive_windows is
    'Fires only when this many windows in a row (one view hop apart) cross the threshold.';

insert into public.alert_rules
    (rule_name, signal, subject, direction, threshold, min_leads, consecutive_windows, description)
values
    ('score_distribution_drift', 'feature_drift.psi', 'score_decile', 'above', 0.05, 500, 3,
     'The scores no longer look like the training reference (PSI of score deciles).'),
    ('audience_drift', 'feature_drift.psi', 'utm_source', 'above', 0.05, 500, 3,
     'The audience mix moved away from the training reference (PSI of utm_source).'),
    ('model_discrimination_drop', 'model_quality_metrics.roc_auc', 'experiment', 'below', 0.55, 1000, 5,
     'The model separates buyers from non-buyers worse than it used to (ROC AUC).'),
    ('model_overconfident', 'model_quality_metrics.calibration_ratio', 'control', 'below', 0.65, 300, 10,
     'Fewer control leads buy than the scores predict (observed / expected purchases).'),
    ('coupon_effect_lost', 'model_quality_metrics.calibration_ratio', 'experiment', 'below', 1.1, 1000, 10,
     'Coupon holders buy no more than the scores predict: coupons stopped persuading.'),
    ('sample_ratio_mismatch', 'ab_test_metrics.srm_chi_square', null, 'above', 20, 1000, 2,
     'The buckets are not split as designed (chi-square against experiment_design).'),
    ('coupon_uplift_lost', 'ab_test_metrics.uplift_ci_high', null, 'below', 0, 1000, 3,
     'Coupons no longer pay: the whole 95 % interval of the uplift is below 0.'),
    ('prediction_coverage_drop', 'pipeline_health.prediction_coverage', null, 'below', 0.95, 100, 1,
     'Leads arrive without a prediction (a model service or producer outage).'),
    ('duplicate_predictions', 'pipeline_health.duplicate_messages', null, 'above', 10, 0, 1,
     'Prediction messages arrive more than once (a retrying producer).'),
    ('late_conversions', 'pipeline_health.late_conversion_share', null, 'above', 0.05, 100, 1,
     'Purchases land after the 30 s label horizon (labels arrive late).')
on conflict (rule_name) do nothing;

-- Materialize replicates whole rows: the primary key alone is rejected.
alter table public.alert_rules replica identity full;
