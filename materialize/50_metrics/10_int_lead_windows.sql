-- materialize/50_metrics/10_int_lead_windows.sql
--
-- Teaching point: hopping windows from a fan-out and a temporal filter. Windows hop every
--                 1 s and are W = 30 s wide; a window is named by its end E (a whole second)
--                 and holds the leads with E - 30 s < matured_at <= E. So each lead belongs to
--                 exactly 30 windows: its first window end, plus 0..29 seconds. A window is
--                 visible from mz_now() = E for the retention R = 10 minutes, then retracted.
-- Grain:          one row per (lead, window_end) for the windows visible at mz_now().
-- Reads:          40_per_lead/30_int_leads_matured.sql.
-- Read by:        50_metrics/20_classifier_window_metrics.sql.
-- Why not the blog's windows? They grouped leads by their creation second, not over a
--                 trailing 30 s, and their upper bound never expired anything.
--                 (`date_bin_hopping` would do the fan-out, but it is behind a feature flag.)

create view if not exists int_lead_windows as

with

leads as (

    select * from int_leads_matured

),

window_offsets as (

    select offset_seconds
    from generate_series(0, 29) as offsets (offset_seconds)

),

fanned_out as (

    select
        leads.*,
        leads.first_window_end
            + interval '1 second' * window_offsets.offset_seconds as window_end

    from leads
    cross join window_offsets

),

final as (

    select * from fanned_out
    where mz_now() >= window_end
        and mz_now() < window_end + interval '10 minutes'

)

select * from final;
