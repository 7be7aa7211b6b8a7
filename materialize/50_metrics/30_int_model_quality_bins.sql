-- materialize/50_metrics/30_int_model_quality_bins.sql
--
-- Teaching point: additive sufficient statistics first, ratios last. Ranking quality,
--                 calibration and loss all follow from a small histogram per window and
--                 bucket: per score bin (B = 100, bin = least(floor(score * 100), 99)) the
--                 counts and sums below. Sums merge by addition, so the engine maintains a
--                 few hundred rows per window instead of re-reading every lead, and every
--                 signal in 32_model_quality_window_metrics.sql is a function of at most
--                 100 rows. As in 15_int_classifier_slots.sql the sums are taken per second
--                 first (leads whose first window ends at the same second share all 30
--                 windows), and those slot histograms fan out to the windows: every per-lead
--                 term (a logarithm, a square) is computed once per lead, not once per window.
-- Grain:          one row per (window_end, experiment_bucket, score_bin, score_decile) with
--                 at least one matured scored lead, for the windows visible at mz_now().
--                 score_decile = least(floor(score * 10), 9), the reference's decile; it is
--                 the bin's tens digit, so a bin has one decile (a score a float rounding
--                 puts on both sides of a decile edge would add a row, never a wrong sum).
-- Reads:          40_per_lead/30_int_leads_matured.sql (already bounded by its temporal filter).
-- Read by:        31_int_model_quality_deciles.sql, 32_model_quality_window_metrics.sql.
-- Why not compute AUC or log loss straight from int_lead_windows? A rank statistic over
--                 raw leads needs every pair of leads in a window (or a window function,
--                 which Materialize recomputes for a whole partition on any change); the
--                 histogram needs at most 100 x 100 bin pairs. Why not sum
--                 10_int_lead_windows.sql, one row per (lead, window)? The same numbers from
--                 30 rows per lead: 1.3 million rows, each with its own logarithm, on every
--                 read of the reference engine for 10 minutes at 80 leads/s.

create view if not exists int_model_quality_bins as

with

leads as (

    select * from int_leads_matured
    where is_scored

),

per_lead as (

    select
        first_window_end,
        experiment_bucket,
        cast(least(floor(score * 100), 99) as integer) as score_bin,
        cast(least(floor(score * 10), 9) as integer) as score_decile,
        -- A score below 1e-100 counts as 0: its square would underflow, and Postgres
        -- raises an error where IEEE arithmetic returns 0. The input already refuses such
        -- numbers (it takes a one-digit exponent at most, so nothing below 1e-9 arrives);
        -- this keeps the view safe if that rule is ever widened.
        case
            when score < 1e-100::double precision then 0::double precision
            else score
        end as score,
        cast(case when converted then 1 else 0 end as double precision) as outcome,
        least(greatest(score, 1e-15::double precision), 1 - 1e-15::double precision)
            as clamped_score,
        converted

    from leads

),

terms as (

    select
        *,
        (score - outcome) * (score - outcome) as squared_error,
        -(outcome * ln(clamped_score) + (1 - outcome) * ln(1 - clamped_score))
            as log_loss_term

    from per_lead

),

slot_bins as (

    -- The histogram of the leads whose first window ends at first_window_end.
    select
        first_window_end,
        experiment_bucket,
        score_bin,
        score_decile,
        count(*) as num_scored,
        count(*) filter (where converted) as num_positive,
        sum(score) as sum_score,
        sum(squared_error) as sum_squared_error,
        sum(log_loss_term) as sum_log_loss

    from terms
    group by first_window_end, experiment_bucket, score_bin, score_decile

),

window_offsets as (

    select offset_seconds
    from generate_series(0, 29) as offsets (offset_seconds)

),

slot_windows as (

    -- Each slot's histogram fans out to the 30 windows its leads belong to (as each lead
    -- does in 10_int_lead_windows.sql), visible from window_end for R = 10 minutes.
    select
        slot_bins.*,
        slot_bins.first_window_end
            + interval '1 second' * window_offsets.offset_seconds as window_end

    from slot_bins
    cross join window_offsets

),

visible as (

    select * from slot_windows
    where mz_now() >= window_end
        and mz_now() < window_end + interval '10 minutes'

),

final as (

    select
        ----------  ids
        window_end,
        experiment_bucket,
        score_bin,
        score_decile,

        ----------  counts
        cast(sum(num_scored) as bigint) as num_scored,
        cast(sum(num_positive) as bigint) as num_positive,

        ----------  sums
        sum(sum_score) as sum_score,
        sum(sum_squared_error) as sum_squared_error,
        sum(sum_log_loss) as sum_log_loss

    from visible
    group by window_end, experiment_bucket, score_bin, score_decile

)

select * from final;
