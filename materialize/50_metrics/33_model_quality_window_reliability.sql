-- materialize/50_metrics/33_model_quality_window_reliability.sql
--
-- Teaching point: the reliability table behind expected_calibration_error. Per score
--                 decile: what the model predicted on average (mean_score) against what
--                 happened (observed_rate). A calibrated model sits on the diagonal; the
--                 `experiment` bucket sits above it below the threshold, where coupons turn
--                 negatives into buyers.
-- Grain:          one row per (window_end, experiment_bucket, score_decile) holding at
--                 least one matured scored lead, for the windows visible at mz_now().
-- Reads:          50_metrics/31_int_model_quality_deciles.sql.
-- Read by:        90_serving/51_model_quality_reliability.*.sql
--                 (`model_quality_reliability`).
-- Why not a row for every decile, empty ones included? An empty decile has no predicted
--                 mean and no observed rate; a missing row says so without NULL padding.

create view if not exists model_quality_window_reliability as

with

deciles as (

    select * from int_model_quality_deciles

),

final as (

    select
        ----------  ids
        window_end,
        experiment_bucket,
        score_decile,

        ----------  counts
        num_scored,
        num_positive,

        ----------  ratios
        sum_score / nullif(num_scored, 0) as mean_score,
        cast(num_positive as double precision) / nullif(num_scored, 0)
            as observed_rate

    from deciles

)

select * from final;
