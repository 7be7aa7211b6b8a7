-- metabase/testing/model-quality-stand-in.sql
--
-- Teaching point: none; a test fixture, like classifier-metrics-stand-in.sql, for the cards on
--                 model_quality_metrics and model_quality_reliability when the lab's
--                 migrations have not been applied to the Materialize the test uses. Same
--                 columns and types as the real views; made-up numbers.
-- Grain:          as the real views.
-- Reads:          nothing (constant rows).
-- Read by:        test/materialize/metabase-provision.test.ts, which creates each view only
--                 when no object of that name exists, and drops it afterwards.
-- Why far-future windows? The cards keep only windows with mz_now() <= window_end + 10 minutes.

create view model_quality_metrics as
select * from (
    values
        (timestamptz '2100-01-01 00:00:30+00', 'control', 480::bigint, 240::bigint,
         0.5::float8, 0.83::float8, 0.5::float8, 0.167::float8, 0.09::float8, 1.0::float8),
        (timestamptz '2100-01-01 00:00:30+00', 'experiment', 1920::bigint, 1120::bigint,
         0.5::float8, 0.78::float8, 0.55::float8, 0.18::float8, 0.1::float8, 1.167::float8)
) as stand_in (
    window_end, experiment_bucket, num_scored, num_positive, mean_score, roc_auc,
    log_loss, brier_score, expected_calibration_error, calibration_ratio
);

create view model_quality_reliability as
select * from (
    values
        (timestamptz '2100-01-01 00:00:30+00', 'control', 0, 48::bigint, 2::bigint, 0.05::float8, 0.042::float8),
        (timestamptz '2100-01-01 00:00:30+00', 'control', 9, 48::bigint, 46::bigint, 0.95::float8, 0.958::float8)
) as stand_in (
    window_end, experiment_bucket, score_decile, num_scored, num_positive, mean_score, observed_rate
);
