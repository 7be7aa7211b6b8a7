-- materialize/50_metrics/62_ab_test_window_metrics.sql
--
-- Teaching point: ratios last, from exact sums. Per bucket, the mean net revenue per lead is
--                 Σx / n and the sample variance is (n·Σx² - (Σx)²) / (n·(n - 1)): computed
--                 on exact integers (cents), so it is never negative and a constant x gives
--                 exactly 0 (no square root of a rounding error below zero: in Materialize
--                 one such error would make the view unreadable). Then:
--                   uplift = mean_e - mean_c;  SE = √(s²_e/n_e + s²_c/n_c)  (Welch);
--                   95 % interval = uplift ∓ 1.96·SE  (normal approximation);
--                   SRM χ² = Σ_b (n_b - π_b·n)² / (π_b·n), π from experiment_design.
--                 The interval is a FIXED-HORIZON one: it holds for one look at one window
--                 chosen in advance. A dashboard refreshing every second is repeated
--                 peeking, and among many windows some interval will exclude the truth by
--                 chance: read it as a description, not as a stopping rule.
-- Grain:          one row per window_end (a multiple of 10 s) holding at least one matured,
--                 scored lead of `control` or `experiment`, for the windows visible at
--                 mz_now().
-- Reads:          50_metrics/61_int_ab_test_windows.sql, 30_staging/40_stg_experiment_design.sql.
-- Read by:        90_serving/60_ab_test_metrics.*.sql (`ab_test_metrics`).
-- Why not compare the buckets' total net revenue, or their means without a standard error?
--                 The buckets differ in size by design (20/80), and a difference of means
--                 without its noise invites reading every wiggle as an effect. The uplift,
--                 its standard error and its interval are NULL unless both buckets hold at
--                 least 2 leads (a sample variance needs two); a bucket's mean is NULL only
--                 when it holds none.

create view if not exists ab_test_window_metrics as

with

bucket_windows as (

    select * from int_ab_test_windows

),

design as (

    -- One row, even when the design is missing (then both shares are NULL).
    select
        max(expected_share) filter (where experiment_bucket = 'control')
            as control_expected_share,
        max(expected_share) filter (where experiment_bucket = 'experiment')
            as experiment_expected_share

    from stg_experiment_design

),

pivoted as (

    select
        window_end,
        cast(coalesce(sum(num_leads) filter (where experiment_bucket = 'control'), 0) as bigint)
            as n_c,
        cast(coalesce(sum(num_leads) filter (where experiment_bucket = 'experiment'), 0) as bigint)
            as n_e,
        cast(coalesce(sum(num_converted) filter (where experiment_bucket = 'control'), 0) as bigint)
            as converted_c,
        cast(coalesce(sum(num_converted) filter (where experiment_bucket = 'experiment'), 0) as bigint)
            as converted_e,
        coalesce(sum(sum_net_revenue_cents) filter (where experiment_bucket = 'control'), 0)
            as sx_c,
        coalesce(sum(sum_net_revenue_cents) filter (where experiment_bucket = 'experiment'), 0)
            as sx_e,
        coalesce(sum(sum_squared_net_revenue_cents) filter (where experiment_bucket = 'control'), 0)
            as sxx_c,
        coalesce(sum(sum_squared_net_revenue_cents) filter (where experiment_bucket = 'experiment'), 0)
            as sxx_e

    from bucket_windows
    group by window_end
    -- A window of `unknown` leads only compares nothing.
    having count(*) filter (where experiment_bucket in ('control', 'experiment')) > 0

),

moments as (

    select
        pivoted.*,
        design.control_expected_share,
        design.experiment_expected_share,
        cast(n_c + n_e as double precision) as n_total,
        cast(sx_c as double precision) / nullif(100 * n_c, 0) as mean_c_dollars,
        cast(sx_e as double precision) / nullif(100 * n_e, 0) as mean_e_dollars,
        -- Sample variances in dollars², exact (numeric) until the final division.
        cast(n_c * sxx_c - sx_c * sx_c as double precision)
            / nullif(10000 * n_c * (n_c - 1), 0) as variance_c_dollars,
        cast(n_e * sxx_e - sx_e * sx_e as double precision)
            / nullif(10000 * n_e * (n_e - 1), 0) as variance_e_dollars,
        n_c >= 2 and n_e >= 2 as both_have_two

    from pivoted
    cross join design

),

comparison as (

    select
        *,
        case
            when both_have_two then mean_e_dollars - mean_c_dollars
        end as uplift_dollars,
        case
            when both_have_two
                then sqrt(variance_e_dollars / n_e + variance_c_dollars / n_c)
        end as standard_error_dollars,
        -- Expected counts under the design: π_b·n.
        control_expected_share * n_total as expected_c,
        experiment_expected_share * n_total as expected_e

    from moments

),

final as (

    select
        ----------  ids
        window_end,

        ----------  counts
        cast(n_c as bigint) as control_leads,
        cast(n_e as bigint) as experiment_leads,

        ----------  net revenue per lead (dollars)
        mean_c_dollars as control_net_revenue_per_lead_dollars,
        mean_e_dollars as experiment_net_revenue_per_lead_dollars,
        uplift_dollars as uplift_dollars_per_lead,
        standard_error_dollars as uplift_standard_error,
        uplift_dollars - cast(1.96 as double precision) * standard_error_dollars
            as uplift_ci_low,
        uplift_dollars + cast(1.96 as double precision) * standard_error_dollars
            as uplift_ci_high,

        ----------  ratios
        cast(converted_c as double precision) / nullif(n_c, 0)
            as control_conversion_rate,
        cast(converted_e as double precision) / nullif(n_e, 0)
            as experiment_conversion_rate,

        ----------  sample ratio
        (n_c - expected_c) * (n_c - expected_c) / nullif(expected_c, 0)
            + (n_e - expected_e) * (n_e - expected_e) / nullif(expected_e, 0)
            as srm_chi_square,

        ----------  extras (not in the contract)
        n_c / nullif(n_total, 0) as control_observed_share,
        control_expected_share

    from comparison

)

select * from final;
