-- materialize/50_metrics/32_model_quality_window_metrics.sql
--
-- Teaching point: ranking, calibration and loss as small functions over the histogram of
--                 30_int_model_quality_bins.sql, ratios last and NULL when undefined.
--                   roc_auc: bucketed Mann–Whitney, the share of (positive, negative) pairs
--                     ranked right: 1 when the positive's bin is higher, ½ in the same bin:
--                     AUC = Σ_b neg_b·(A_b + ½·pos_b) / (P·N), A_b = the positives above b.
--                     Σ_b neg_b·A_b is a count of pairs of bins b < b′, so it is a sum of
--                     products neg_b·pos_b′ over a self-join of the histogram. Exact in
--                     integers: (2·Σ neg_b·A_b + Σ neg_b·pos_b) / (2·P·N); NULL when P = 0
--                     or N = 0.
--                   log_loss = Σ −(y ln s′ + (1 − y) ln(1 − s′)) / n, s′ clamped to
--                     [1e-15, 1 − 1e-15]; brier_score = Σ (s − y)² / n.
--                   expected_calibration_error = Σ_deciles |Σ s − Σ y| / n.
--                   calibration_ratio = Σ y / Σ s (observed / expected conversions).
--                 In the `experiment` bucket coupons change the labels, so only `control`
--                 measures the model cleanly: the experiment looks under-confident.
-- Grain:          one row per (window_end, experiment_bucket) holding at least one matured
--                 scored lead (never `unknown`), for the windows visible at mz_now().
-- Reads:          30_int_model_quality_bins.sql (once: totals, pairs and deciles all come
--                 from the one histogram).
-- Read by:        90_serving/50_model_quality_metrics.*.sql (`model_quality_metrics`).
-- Why not `sum(pos) over (partition by window_end, experiment_bucket order by score_bin
--                 desc)` for A_b? Materialize recomputes a whole partition of a window
--                 function when one row in it changes; the self-join below pairs at most
--                 100 x 100 bins per window and is maintained by sums. (A correlated
--                 subquery per bin is slow even on plain Postgres; so is grouping the join
--                 by bin first: on the reference engine, summing the products straight
--                 into (window, bucket) and reading the histogram once cut the query over
--                 10 minutes at 80 leads/s from 44 s to 8 s.)

create view if not exists model_quality_window_metrics as

with

bins as (

    select * from int_model_quality_bins

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

-- Pairs (negative in bin b, positive in a higher bin b′): Σ_b neg_b·A_b.
pairs_across_bins as (

    select
        lower_bin.window_end,
        lower_bin.experiment_bucket,
        cast(sum(lower_bin.negatives * higher_bin.positives) as bigint)
            as ranked_pairs

    from class_counts as lower_bin
    inner join class_counts as higher_bin
        on higher_bin.window_end = lower_bin.window_end
        and higher_bin.experiment_bucket = lower_bin.experiment_bucket
        and higher_bin.score_bin > lower_bin.score_bin
    where lower_bin.negatives > 0
        and higher_bin.positives > 0
    group by lower_bin.window_end, lower_bin.experiment_bucket

),

-- Pairs inside one bin (ties, counted ½ below): Σ_b neg_b·pos_b.
pairs_within_bins as (

    select
        window_end,
        experiment_bucket,
        cast(sum(negatives * positives) as bigint) as tied_pairs

    from class_counts
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

decile_sums as (

    select
        window_end,
        experiment_bucket,
        score_decile,
        sum(sum_score) as sum_score,
        cast(sum(num_positive) as double precision) as num_positive

    from bins
    group by window_end, experiment_bucket, score_decile

),

calibration_gaps as (

    select
        window_end,
        experiment_bucket,
        sum(abs(sum_score - num_positive)) as sum_abs_calibration_gap

    from decile_sums
    group by window_end, experiment_bucket

),

joined as (

    select
        totals.*,
        -- No pair across bins (one class, or all positives below all negatives): 0.
        coalesce(pairs_across_bins.ranked_pairs, 0) as ranked_pairs,
        pairs_within_bins.tied_pairs,
        calibration_gaps.sum_abs_calibration_gap

    from totals
    inner join pairs_within_bins
        on pairs_within_bins.window_end = totals.window_end
        and pairs_within_bins.experiment_bucket = totals.experiment_bucket
    inner join calibration_gaps
        on calibration_gaps.window_end = totals.window_end
        and calibration_gaps.experiment_bucket = totals.experiment_bucket
    left join pairs_across_bins
        on pairs_across_bins.window_end = totals.window_end
        and pairs_across_bins.experiment_bucket = totals.experiment_bucket

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
        cast(2 * ranked_pairs + tied_pairs as double precision)
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
