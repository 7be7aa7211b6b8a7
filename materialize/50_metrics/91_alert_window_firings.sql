-- materialize/50_metrics/91_alert_window_firings.sql
--
-- Teaching point: a rule fires in window E when its signal crosses the threshold in E and in
--                 the consecutive_windows - 1 windows before it. On a grid of windows one
--                 hop apart that is a count: the crossing windows in (E - n·hop, E] number
--                 exactly n. A self-join of the crossing windows with a range condition, then
--                 a count, says it without a window function (which Materialize would
--                 recompute per partition at every change).
--                 A window whose sample is smaller than the rule's `min_leads` never crosses
--                 (a window of 10 leads says little about an AUC).
-- Grain:          one row per (window_end, rule, subject) that fires, for the windows visible
--                 at mz_now(). A rule with a NULL subject fires per subject (per bucket or
--                 feature) and names it.
-- Reads:          90_int_alert_signal_values.sql, alert_rules (a Postgres subsource; a table
--                 in the reference engine).
-- Read by:        90_serving/90_monitoring_alerts.*.sql (`monitoring_alerts`).
-- No temporal filter on alert_rules: a handful of rows, whatever the time; the windows it
--                 joins are bounded by their own views.
-- Why not `lag()` over the windows? A window function; and the join also counts a window
--                 whose predecessor is missing (no leads at all) as a break in the run, which
--                 is what a run of crossing windows should mean.

create view if not exists alert_window_firings as

with

signal_values as (

    select * from int_alert_signal_values

),

rules as (

    select
        rule_name,
        signal,
        subject,
        direction,
        threshold,
        min_leads,
        consecutive_windows

    from alert_rules
    where enabled

),

crossings as (

    select
        rules.rule_name,
        rules.threshold,
        rules.consecutive_windows,
        signal_values.signal,
        signal_values.subject,
        coalesce(signal_values.subject, '') as subject_key,
        signal_values.window_end,
        signal_values.value,
        signal_values.hop_seconds

    from signal_values
    inner join rules
        on rules.signal = signal_values.signal
        and coalesce(rules.subject, signal_values.subject, '') = coalesce(signal_values.subject, '')
    where signal_values.num_leads >= rules.min_leads
        and case rules.direction
            when 'above' then signal_values.value > rules.threshold
            when 'below' then signal_values.value < rules.threshold
            else false
        end

),

runs as (

    select
        latest.rule_name,
        latest.subject_key,
        latest.window_end,
        -- Windows, not rows: two rows of one window (feature_drift keeps one per model
        -- version) must not count as two windows of a run.
        count(distinct earlier.window_end) as crossing_windows

    from crossings as latest
    inner join crossings as earlier
        on earlier.rule_name = latest.rule_name
        and earlier.subject_key = latest.subject_key
        and earlier.window_end <= latest.window_end
        and earlier.window_end
            > latest.window_end - interval '1 second' * (latest.hop_seconds * latest.consecutive_windows)
    group by latest.rule_name, latest.subject_key, latest.window_end

),

final as (

    select
        crossings.rule_name,
        crossings.window_end,
        crossings.value,
        crossings.threshold,
        crossings.signal,
        crossings.subject

    from crossings
    inner join runs
        on runs.rule_name = crossings.rule_name
        and runs.subject_key = crossings.subject_key
        and runs.window_end = crossings.window_end
    where runs.crossing_windows >= crossings.consecutive_windows

)

select * from final;
