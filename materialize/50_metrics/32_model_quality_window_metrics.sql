-- materialize/50_metrics/32_model_quality_window_metrics.sql
--
-- Teaching point: ranking, calibration and loss as small functions over the histogram of
--                 30_int_model_quality_bins.sql, ratios last and NULL when undefined.
--                   roc_auc: bucketed Mann–Whitney. A negative in bin b beats the
--                     positives below it, loses to those above it and ties (½) with those
--                     in its own bin: AUC = Σ_b neg_b·(A_b + ½·pos_b) / (P·N), with A_b =
--                     the positives in bins above b. Computed exactly in integers as
--                     (2·Σ neg_b·A_b + Σ neg_b·pos_b) / (2·P·N); NULL when P = 0 or N = 0.
--                   log_loss = Σ −(y ln s′ + (1 − y) ln(1 − s′)) / n, s′ clamped to
--                     [1e-15, 1 − 1e-15]; brier_score = Σ (s − y)² / n.
--                   expected_calibration_error = Σ_deciles |Σ s − Σ y| / n.
--                   calibration_ratio = Σ y / Σ s (observed / expected conversions).
--                 In the `experiment` bucket coupons change the labels, so only `control`
--                 measures the model cleanly: the experiment looks under-confident.
-- Grain:          one row per (window_end, experiment_bucket) holding at least one matured
--                 scored lead (never `unknown`), for the windows visible at mz_now().
-- Reads:          30_int_model_quality_bins.sql, 31_int_model_quality_deciles.sql.
-- Read by:        90_serving/50_model_quality_metrics.*.sql (`model_quality_metrics`).
-- Why not `sum(pos) over (partition by window_end, experiment_bucket order by score_bin
--                 desc)` for A_b? Materialize recomputes a whole partition of a window
--                 function when one row in it changes; the self-join below pairs at most
--                 100 x 100 bins per window and is maintained by sums. (And a correlated
--                 subquery per bin is slow even on plain Postgres.)

create view if not exists model_quality_window_metrics as

with

bins as (

    select * from int_model_quality_bins

),

deciles as (

    select * from int_model_quality_deciles

),

-- One row per score bin: a bin can hold two decile rows only at a float edge.
class_counts as (

    select
        window_end,
        experiment_bucket,
        score_bin,
        cast(sum(num_positive) as bigint) as positives,
        cast(sum(num_scored - num_positive) as bigint) as negatives

    from bins
    group by window_end, experiment_bucket, score_bin

),

-- Per bin: its negatives, its positives, and the positives in the bins above it.
bins_with_positives_above as (

    select
        this_bin.window_end,
        this_bin.experiment_bucket,
        this_bin.score_bin,
        this_bin.negatives,
        this_bin.positives,
        cast(
            coalesce(
                sum(other_bin.positives)
                    filter (where other_bin.score_bin > this_bin.score_bin),
                0
            ) as bigint
        ) as positives_above

    from class_counts as this_bin
    inner join class_counts as other_bin
        on other_bin.window_end = this_bin.window_end
        and other_bin.experiment_bucket = this_bin.experiment_bucket
        and other_bin.score_bin >= this_bin.score_bin
    group by
        this_bin.window_end,
        this_bin.experiment_bucket,
        this_bin.score_bin,
        this_bin.negatives,
        this_bin.positives

),

-- Twice the Mann–Whitney count of (positive, negative) pairs ranked right: exact integers.
ranked_pairs as (

    select
        window_end,
        experiment_bucket,
        cast(
            sum(2 * negatives * positives_above + negatives * positives) as bigint
        ) as twice_ranked_pairs

    from bins_with_positives_above
    group by window_end, experiment_bucket

),

totals as (

    select
        window_end,
        experiment_bucket,
        cast(sum(num_scored) as bigint) as num_scored,
        cast(sum(num_positive) as bigint) as num_positive,
        sum(sum_score) as sum_score,
        sum(sum_squared_error) as sum_squared_error,
        sum(sum_log_loss) as sum_log_loss

    from bins
    group by window_end, experiment_bucket

),

calibration_gaps as (

    select
        window_end,
        experiment_bucket,
        sum(abs(sum_score - cast(num_positive as double precision)))
            as sum_abs_calibration_gap

    from deciles
    group by window_end, experiment_bucket

),

joined as (

    select
        totals.*,
        ranked_pairs.twice_ranked_pairs,
        calibration_gaps.sum_abs_calibration_gap

    from totals
    inner join ranked_pairs
        on ranked_pairs.window_end = totals.window_end
        and ranked_pairs.experiment_bucket = totals.experiment_bucket
    inner join calibration_gaps
        on calibration_gaps.window_end = totals.window_end
        and calibration_gaps.experiment_bucket = totals.experiment_bucket

),

final as (

    select
        ----------  ids
        window_end,
        experiment_bucket,

        ----------  counts
        num_scored,
        num_positive,

        ----------  ratios
        sum_score / nullif(num_scored, 0) as mean_score,
        cast(twice_ranked_pairs as double precision)
            / nullif(2 * num_positive * (num_scored - num_positive), 0) as roc_auc,
        sum_log_loss / nullif(num_scored, 0) as log_loss,
        sum_squared_error / nullif(num_scored, 0) as brier_score,
        sum_abs_calibration_gap / nullif(num_scored, 0)
            as expected_calibration_error,
        cast(num_positive as double precision) / nullif(sum_score, 0)
            as calibration_ratio

    from joined

)

select * from final;
