// The detection targets of docs/monitoring.md §3, at about 80 leads/s with the built-in
// scenarios' parameters: the longest delay, in seconds, from an incident's start to its
// first firing window. Data for the CI check (test/e2e/evaluate-scenarios.test.ts) and the
// printed table; the rules' thresholds come from measurements (docs/alerts.md), not from here.

export const DETECTION_BOUND_SECONDS: Readonly<Record<string, number>> = {
  model_decay: 120,
  score_shift: 60,
  traffic_shift: 60,
  concept_drift: 120,
  coupon_fatigue: 240,
  split_bug: 120,
  prediction_outage: 30,
  duplicate_predictions: 30,
  label_delay: 120,
};
