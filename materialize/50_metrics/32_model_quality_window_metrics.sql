-- materialize/50_metrics/32_model_quality_window_metrics.sql
--
-- Teaching point: ranking, calibration and loss as small functions over the histogram of
--                 30_int_model_quality_bins.sql, ratios last and NULL when undefined.
--                   roc_auc: bucketed Mann–Whitney, the share of (positive, negative) pairs
--                     ranked right: 1 when the positive's bin is higher, ½ in the same bin:
--                     AUC = Σ_b neg_b·(A_b + ½·pos_b) / (P·N), A_b = the positives above b.
--                     Σ_b neg_b·A_b is a count of pairs of bins b < b′, so it is a sum of
--                     products neg_b·pos_b′ over a self-join of the histogram, in two
--                     levels: bins grouped by tens (g = b / 10); a pair in two groups is a
--                     pair of groups (neg_g·pos_g′, at most 45 per window), a pair in one
--                     group a pair of its bins (at most 45 per group): about 500 products
--                     per window and bucket instead of up to 4,950. Exact in integers:
--                     (2·Σ neg_b·A_b + Σ neg_b·pos_b) / (2·P·N); NULL when P = 0 or N = 0.
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
--                 function when one row in it changes; the self-joins below pair a few
--                 hundred bins and groups per window and are maintained by sums. Why two
--                 levels and not every pair of bins? The same integer from ten times the
--                 rows: 5 million products for 10 minutes at 80 leads/s on the reference
--                 engine, against half a million. Why stack the contributions and add them
--                 up once, instead of joining one aggregate per
--                 signal? A join of aggregates gave Postgres' planner (which cannot
--                 estimate the temporal filters) room to re-run the pair count for every
--                 window: 5 minutes for 10 minutes at 80 leads/s on the reference engine.

create view if not exists model_quality_window_metrics as

with

bins as (

    select * from int_model_quality_bins

),

-- One row per score bin: a bin can hold two decile rows only at a float edge.
class_counts_with_sums as (

    select
        window_end,
        experiment_bucket,
        score_bin,
        cast(sum(num_scored) as bigint) as num_scored,
        cast(sum(num_positive) as bigint) as num_positive,
        sum(sum_score) as sum_score,
        sum(sum_squared_error) as sum_squared_error,
        sum(sum_log_loss) as sum_log_loss

    from bins
    group by window_end, experiment_bucket, score_bin

),

class_counts as (

    select
        window_end,
        experiment_bucket,
        score_bin,
        -- The bin's group of ten (0..9): a function of the bin, so every pair of bins is
        -- either a pair inside one group or a pair of groups.
        score_bin / 10 as bin_group,
        num_positive as positives,
        num_scored - num_positive as negatives

    from class_counts_with_sums

),

group_counts as (

    select
        window_end,
        experiment_bucket,
        bin_group,
        cast(sum(positives) as bigint) as positives,
        cast(sum(negatives) as bigint) as negatives

    from class_counts
    group by window_end, experiment_bucket, bin_group

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

-- Every per-window sum comes from one of four sources, each summed per window, then stacked
-- and added up once: the bins (counts and sums), the pairs of bins and of groups (AUC), the
-- deciles (calibration). Summing each source first stacks four rows per window, not 600,000.
contributions as (

    select
        window_end,
        experiment_bucket,
        cast(sum(num_scored) as bigint) as num_scored,
        cast(sum(num_positive) as bigint) as num_positive,
        sum(sum_score) as sum_score,
        sum(sum_squared_error) as sum_squared_error,
        sum(sum_log_loss) as sum_log_loss,
        -- Pairs inside one bin count ½: twice the count is neg_b·pos_b.
        cast(sum((num_scored - num_positive) * num_positive) as bigint)
            as twice_ranked_pairs,
        0::double precision as sum_abs_calibration_gap

    from class_counts_with_sums
    group by window_end, experiment_bucket

    union all

    -- Pairs (negative in bin b, positive in a higher bin b′ of the same group) count 1:
    -- twice 2·neg_b·pos_b′.
    select
        lower_bin.window_end,
        lower_bin.experiment_bucket,
        0 as num_scored,
        0 as num_positive,
        0::double precision as sum_score,
        0::double precision as sum_squared_error,
        0::double precision as sum_log_loss,
        cast(sum(2 * lower_bin.negatives * higher_bin.positives) as bigint)
            as twice_ranked_pairs,
        0::double precision as sum_abs_calibration_gap

    from class_counts as lower_bin
    inner join class_counts as higher_bin
        on higher_bin.window_end = lower_bin.window_end
        and higher_bin.experiment_bucket = lower_bin.experiment_bucket
        and higher_bin.bin_group = lower_bin.bin_group
        and higher_bin.score_bin > lower_bin.score_bin
    group by lower_bin.window_end, lower_bin.experiment_bucket

    union all

    -- Pairs (negative in group g, positive in a higher group g′) count 1: 2·neg_g·pos_g′.
    select
        lower_group.window_end,
        lower_group.experiment_bucket,
        0 as num_scored,
        0 as num_positive,
        0::double precision as sum_score,
        0::double precision as sum_squared_error,
        0::double precision as sum_log_loss,
        cast(sum(2 * lower_group.negatives * higher_group.positives) as bigint)
            as twice_ranked_pairs,
        0::double precision as sum_abs_calibration_gap

    from group_counts as lower_group
    inner join group_counts as higher_group
        on higher_group.window_end = lower_group.window_end
        and higher_group.experiment_bucket = lower_group.experiment_bucket
        and higher_group.bin_group > lower_group.bin_group
    group by lower_group.window_end, lower_group.experiment_bucket

    union all

    select
        window_end,
        experiment_bucket,
        0 as num_scored,
        0 as num_positive,
        0::double precision as sum_score,
        0::double precision as sum_squared_error,
        0::double precision as sum_log_loss,
        0 as twice_ranked_pairs,
        sum(abs(sum_score - num_positive)) as sum_abs_calibration_gap

    from decile_sums
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
        sum(sum_log_loss) as sum_log_loss,
        cast(sum(twice_ranked_pairs) as bigint) as twice_ranked_pairs,
        sum(sum_abs_calibration_gap) as sum_abs_calibration_gap

    from contributions
    group by window_end, experiment_bucket

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

    from totals

)

select * from final;
