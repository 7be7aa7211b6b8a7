-- Between test cases on the reference target only (never on a replicated database).
truncate public.coupons, loadgen.scheduled_conversions, public.leads,
    public.conversion_predictions_raw
