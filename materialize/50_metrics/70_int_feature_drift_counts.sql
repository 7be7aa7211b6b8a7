-- materialize/50_metrics/70_int_feature_drift_counts.sql
--
-- Teaching point: a distribution per window is a count per value, and counts add up. One
--                 row per (feature, value) and lead (an unpivot by UNION ALL), fanned out
--                 to the 30 hopping windows that hold its predicted_at, then counted: the
--                 same fan-out and temporal filter as 10_int_lead_windows.sql, by
--                 prediction time instead of maturity.
-- Grain:          one row per (window_end, model_version, feature, value) seen in a window
--                 visible at mz_now(): E - 30 s < predicted_at <= E, E <= mz_now() <
--                 E + 10 minutes.
-- Reads:          40_per_lead/40_int_feature_drift_leads.sql.
-- Read by:        71_feature_drift_window_metrics.sql.
-- Why not compare probabilities here? A share needs the window's total, which belongs in
--                 its own aggregate (71_...): dividing by `sum(...) over ()` after joining
--                 the reference would count the total once per joined row.

create view if not exists int_feature_drift_counts as

with

leads as (

    select * from int_feature_drift_leads

),

feature_values as (

    select
        lead_id, model_version, first_window_end,
        'score_decile' as feature, score_decile as value
    from leads
    union all
    select
        lead_id, model_version, first_window_end,
        'utm_source' as feature, utm_source as value
    from leads

),

window_offsets as (

    select offset_seconds
    from generate_series(0, 29) as offsets (offset_seconds)

),

fanned_out as (

    select
        feature_values.*,
        feature_values.first_window_end
            + interval '1 second' * window_offsets.offset_seconds as window_end

    from feature_values
    cross join window_offsets

),

visible as (

    select * from fanned_out
    where mz_now() >= window_end
        and mz_now() < window_end + interval '10 minutes'

),

final as (

    select
        ----------  ids
        window_end,
        model_version,
        feature,
        value,

        ----------  counts
        count(*) as num_leads

    from visible
    group by window_end, model_version, feature, value

)

select * from final;
