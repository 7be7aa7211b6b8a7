-- Empties what a fast run writes, so a database evaluate used before starts a run afresh.
-- alert_rules is kept: a user's tuned rules are what the next run evaluates.
truncate public.leads, public.coupons, public.scenario_incidents, public.experiment_design,
    public.model_reference_distribution, public.conversion_predictions_raw,
    loadgen.runs, loadgen.scheduled_conversions
