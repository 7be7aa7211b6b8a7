-- materialize/50_metrics/30_int_model_quality_bins.sql
--
-- Teaching point: additive sufficient statistics first, ratios last. Ranking quality,
--                 calibration and loss all follow from a small histogram per window and
--                 bucket: per score bin (B = 100, bin = least(floor(score * 100), 99)) the
--                 counts and sums below. Sums merge by addition, so the engine maintains a
--                 few hundred rows per window instead of re-reading every lead, and every
--                 signal in 32_model_quality_window_metrics.sql is a function of at most
--                 100 rows.
-- Grain:          one row per (window_end, experiment_bucket, score_bin, score_decile) with
--                 at least one matured scored lead, for the windows visible at mz_now().
--                 score_decile = least(floor(score * 10), 9), the reference's decile; it is
--                 the bin's tens digit, so a bin has one decile (a score a float rounding
--                 puts on both sides of a decile edge would add a row, never a wrong sum).
-- Reads:          50_metrics/10_int_lead_windows.sql (already bounded by its temporal filter).
-- Read by:        31_int_model_quality_deciles.sql, 32_model_quality_window_metrics.sql.
-- Why not compute AUC or log loss straight from int_lead_windows? A rank statistic over
--                 raw leads needs every pair of leads in a window (or a window function,
--                 which Materialize recomputes for a whole partition on any change); the
--                 histogram needs at most 100 x 100 bin pairs.

create view if not exists int_model_quality_bins as

with

lead_windows as (

    select * from int_lead_windows
    where is_scored

),

per_lead as (

    select
        ----------  ids
        window_end,
        experiment_bucket,

        ----------  dimensions
        cast(least(floor(score * 100), 99) as integer) as score_bin,
        cast(least(floor(score * 10), 9) as integer) as score_decile,

        ----------  measures
        -- A score below 1e-100 counts as 0: its square would underflow, and Postgres
        -- raises an error where IEEE arithmetic returns 0. The input already refuses such
        -- numbers (it takes a one-digit exponent at most, so nothing below 1e-9 arrives);
        -- this keeps the view safe if that rule is ever widened.
        case
            when score < 1e-100::double precision then 0::double precision
            else score
        end as score,
        cast(case when converted then 1 else 0 end as double precision) as outcome,
        -- The score clamped to [1e-15, 1 - 1e-15], so ln() never sees 0.
        least(greatest(score, 1e-15::double precision), 1 - 1e-15::double precision)
            as clamped_score,

        ----------  booleans
        converted

    from lead_windows

),

terms as (

    select
        *,
        (score - outcome) * (score - outcome) as squared_error,
        -(outcome * ln(clamped_score) + (1 - outcome) * ln(1 - clamped_score))
            as log_loss_term

    from per_lead

),

final as (

    select
        ----------  ids
        window_end,
        experiment_bucket,
        score_bin,
        score_decile,

        ----------  counts
        count(*) as num_scored,
        count(*) filter (where converted) as num_positive,

        ----------  sums
        sum(score) as sum_score,
        sum(squared_error) as sum_squared_error,
        sum(log_loss_term) as sum_log_loss

    from terms
    group by window_end, experiment_bucket, score_bin, score_decile

)

select * from final;
