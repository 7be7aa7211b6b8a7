-- materialize/50_metrics/71_feature_drift_window_metrics.sql
--
-- Teaching point: the population stability index (PSI) compares this window's distribution
--                 of a feature (q) with the model's training-time reference (p):
--                   psi = Σ_v (q_v − p_v)·ln(q_v / p_v)
--                 over the K values of the reference plus one value `(other)` that collects
--                 what the reference never saw (reference count 0). Additive smoothing
--                 α = 0.5 keeps every share positive, so ln() is always defined:
--                   p_v = (ref_v + α) / (Σ ref + α·K),  q_v = (cur_v + α) / (Σ cur + α·K).
--                 Totals come from their own aggregates, joined after; a reference value
--                 absent now still counts (cur_v = 0), so the window is compared on all K.
-- Grain:          one row per (window_end, model_version, feature) with at least one lead,
--                 for the windows visible at mz_now(). psi is NULL when the reference has
--                 no row for that model_version and feature (nothing to compare with).
-- Reads:          50_metrics/70_int_feature_drift_counts.sql, model_reference_distribution
--                 (a Postgres subsource; a table in the reference engine).
-- Read by:        90_serving/70_feature_drift.*.sql (`feature_drift`).
-- No temporal filter on model_reference_distribution: it is a dimension with one row per
--                 (model_version, feature, value), written once per model, so its size does
--                 not grow with time, and the windows it joins are bounded already.
-- Why not join the reference first and divide by `sum(cur) over (...)`? A window function
--                 after a join to several windows is easy to get wrong (the denominator
--                 multiplies) and Materialize recomputes whole partitions.

create view if not exists feature_drift_window_metrics as

with

current_counts as (

    select * from int_feature_drift_counts

),

reference as (

    select model_version, feature, value, reference_count
    from model_reference_distribution

),

reference_totals as (

    select
        model_version,
        feature,
        cast(sum(reference_count) as bigint) as reference_leads,
        count(*) + 1 as num_values -- the reference's values, plus `(other)`

    from reference
    group by model_version, feature

),

current_totals as (

    select
        window_end,
        model_version,
        feature,
        cast(sum(num_leads) as bigint) as num_leads

    from current_counts
    group by window_end, model_version, feature

),

-- One row per (window, value) on the reference's K values, from three additive parts:
-- what is seen now (a value the reference never saw goes to `(other)`), what the
-- reference holds (0 seen, so a value absent now still counts), and `(other)` itself.
value_parts as (

    select
        current_counts.window_end,
        current_counts.model_version,
        current_counts.feature,
        coalesce(reference.value, '(other)') as value,
        current_counts.num_leads as current_count,
        cast(0 as bigint) as reference_count

    from current_counts
    left join reference
        on reference.model_version = current_counts.model_version
        and reference.feature = current_counts.feature
        and reference.value = current_counts.value

    union all

    select
        current_totals.window_end,
        current_totals.model_version,
        current_totals.feature,
        reference.value,
        cast(0 as bigint) as current_count,
        reference.reference_count

    from current_totals
    inner join reference
        on reference.model_version = current_totals.model_version
        and reference.feature = current_totals.feature

    union all

    select
        current_totals.window_end,
        current_totals.model_version,
        current_totals.feature,
        '(other)' as value,
        cast(0 as bigint) as current_count,
        cast(0 as bigint) as reference_count

    from current_totals
    inner join reference_totals
        on reference_totals.model_version = current_totals.model_version
        and reference_totals.feature = current_totals.feature

),

value_counts as (

    select
        window_end,
        model_version,
        feature,
        value,
        cast(sum(current_count) as bigint) as current_count,
        cast(sum(reference_count) as bigint) as reference_count

    from value_parts
    group by window_end, model_version, feature, value

),

shares as (

    select
        value_counts.window_end,
        value_counts.model_version,
        value_counts.feature,
        value_counts.value,
        value_counts.current_count,
        (value_counts.reference_count + 0.5::double precision)
            / nullif(reference_totals.reference_leads
                + 0.5::double precision * reference_totals.num_values, 0)
            as reference_share,
        (value_counts.current_count + 0.5::double precision)
            / nullif(current_totals.num_leads
                + 0.5::double precision * reference_totals.num_values, 0)
            as current_share

    from value_counts
    inner join current_totals
        on current_totals.window_end = value_counts.window_end
        and current_totals.model_version = value_counts.model_version
        and current_totals.feature = value_counts.feature
    inner join reference_totals
        on reference_totals.model_version = value_counts.model_version
        and reference_totals.feature = value_counts.feature

),

psi_per_window as (

    select
        window_end,
        model_version,
        feature,
        sum((current_share - reference_share) * ln(current_share / reference_share))
            as psi,
        cast(sum(current_count) filter (where value = '(other)') as bigint)
            as num_other_leads

    from shares
    group by window_end, model_version, feature

),

final as (

    select
        ----------  ids
        current_totals.window_end,
        current_totals.model_version,
        current_totals.feature,

        ----------  counts
        current_totals.num_leads,

        ----------  ratios
        psi_per_window.psi,

        ----------  extras (not in the contract)
        -- Without a reference every value is unknown to it: all leads are `(other)`.
        coalesce(psi_per_window.num_other_leads, current_totals.num_leads)
            as num_other_leads

    from current_totals
    left join psi_per_window
        on psi_per_window.window_end = current_totals.window_end
        and psi_per_window.model_version = current_totals.model_version
        and psi_per_window.feature = current_totals.feature

)

select * from final;
