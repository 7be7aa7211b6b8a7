-- materialize/50_metrics/90_int_alert_signal_values.sql
--
-- Teaching point: alert rules are data, so the signals they watch must be data too. Each
--                 signal view is unpivoted into one long relation of
--                   (signal, subject, window_end, value, num_leads, hop_seconds)
--                 where `signal` is '<served view>.<column>' (the name a user sees), `subject`
--                 the bucket or feature the row is about (NULL for a view with one row per
--                 window), `num_leads` the window's sample size (for a rule's minimum) and
--                 `hop_seconds` the view's hop (for a rule's consecutive windows). A rule then
--                 joins on `signal` instead of naming a column in SQL.
-- Grain:          one row per (signal, subject, window_end) with a non-NULL value, for the
--                 windows visible at mz_now() (each source view filters its own windows).
-- Reads:          model_quality_window_metrics (32), feature_drift_window_metrics (71),
--                 ab_test_window_metrics (62), pipeline_health_window_metrics (81).
-- Read by:        91_alert_window_firings.sql.
-- Why a cross join with CASE and not `cross join lateral (values (col), ...)`? The same
--                 unpivot, in SQL that both engines read without a lateral reference.
-- Why not one column per signal (a wide row per window)? A rule would then have to name a
--                 column, so a new rule would be new SQL; with the long form a rule is a row
--                 that a user adds or tunes with an INSERT or an UPDATE while the lab runs.
--                 The list of signals below is the set a rule can name: one more is one more
--                 branch of the union.

create view if not exists int_alert_signal_values as

with

model_quality as (

    select * from model_quality_window_metrics

),

feature_drift as (

    select * from feature_drift_window_metrics

),

ab_test as (

    select * from ab_test_window_metrics

),

pipeline_health as (

    select * from pipeline_health_window_metrics

),

model_quality_values as (

    select
        'model_quality_metrics.' || column_name as signal,
        experiment_bucket as subject,
        window_end,
        case column_name
            when 'roc_auc' then roc_auc
            when 'calibration_ratio' then calibration_ratio
            when 'mean_score' then mean_score
            when 'log_loss' then log_loss
            when 'brier_score' then brier_score
            when 'expected_calibration_error' then expected_calibration_error
        end as value,
        num_scored as num_leads,
        1 as hop_seconds

    from model_quality
    cross join (
        values ('roc_auc'), ('calibration_ratio'), ('mean_score'), ('log_loss'),
            ('brier_score'), ('expected_calibration_error')
    ) as unpivoted (column_name)

),

feature_drift_values as (

    select
        'feature_drift.psi' as signal,
        feature as subject,
        window_end,
        psi as value,
        num_leads,
        1 as hop_seconds

    from feature_drift

),

ab_test_values as (

    select
        'ab_test_metrics.' || column_name as signal,
        cast(null as text) as subject,
        window_end,
        case column_name
            when 'srm_chi_square' then srm_chi_square
            when 'uplift_dollars_per_lead' then uplift_dollars_per_lead
            when 'uplift_ci_high' then uplift_ci_high
            when 'uplift_ci_low' then uplift_ci_low
            when 'control_conversion_rate' then control_conversion_rate
            when 'experiment_conversion_rate' then experiment_conversion_rate
        end as value,
        control_leads + experiment_leads as num_leads,
        10 as hop_seconds

    from ab_test
    cross join (
        values ('srm_chi_square'), ('uplift_dollars_per_lead'), ('uplift_ci_high'),
            ('uplift_ci_low'), ('control_conversion_rate'), ('experiment_conversion_rate')
    ) as unpivoted (column_name)

),

pipeline_health_values as (

    select
        'pipeline_health.' || column_name as signal,
        cast(null as text) as subject,
        window_end,
        case column_name
            when 'prediction_coverage' then prediction_coverage
            when 'duplicate_messages' then cast(duplicate_messages as double precision)
            when 'rejected_messages' then cast(rejected_messages as double precision)
            when 'late_conversion_share' then late_conversion_share
        end as value,
        leads as num_leads,
        10 as hop_seconds

    from pipeline_health
    cross join (
        values ('prediction_coverage'), ('duplicate_messages'), ('rejected_messages'),
            ('late_conversion_share')
    ) as unpivoted (column_name)

),

final as (

    select * from model_quality_values
    union all
    select * from feature_drift_values
    union all
    select * from ab_test_values
    union all
    select * from pipeline_health_values

)

select
    signal,
    subject,
    window_end,
    value,
    cast(num_leads as bigint) as num_leads,
    hop_seconds

from final
where value is not null;
