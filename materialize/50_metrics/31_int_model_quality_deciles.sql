-- materialize/50_metrics/31_int_model_quality_deciles.sql
--
-- Teaching point: calibration compares, per score decile, what the model expected
--                 (Σ score) with what happened (Σ y). A coarser histogram is a sum over the
--                 finer one: the deciles are the 100 bins grouped by their tens digit.
-- Grain:          one row per (window_end, experiment_bucket, score_decile) holding at
--                 least one matured scored lead, for the windows visible at mz_now().
-- Reads:          50_metrics/30_int_model_quality_bins.sql.
-- Read by:        33_model_quality_window_reliability.sql (the reliability table).
--                 (32_model_quality_window_metrics.sql groups the same bins by decile for
--                 the expected calibration error itself, to read the histogram once.)
-- Why not 100 bins for calibration too? With a few hundred leads per window, most of 100
--                 bins hold a handful of leads, and |Σ score − Σ y| of a perfectly
--                 calibrated model grows with the number of bins (about √bins): deciles
--                 keep that noise floor lower and match the reference's score_decile.

create view if not exists int_model_quality_deciles as

with

bins as (

    select * from int_model_quality_bins

),

final as (

    select
        ----------  ids
        window_end,
        experiment_bucket,
        score_decile,

        ----------  counts
        cast(sum(num_scored) as bigint) as num_scored,
        cast(sum(num_positive) as bigint) as num_positive,

        ----------  sums
        sum(sum_score) as sum_score

    from bins
    group by window_end, experiment_bucket, score_decile

)

select * from final;
