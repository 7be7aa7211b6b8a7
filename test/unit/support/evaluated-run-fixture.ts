// A hand-built EvaluatedRun for the report's tests: a 10-minute run with two incidents (one
// closed, one open until the run's end), firings of two rules, and two signals over two series.
// Every time is a round offset from the start so a test can say where it lands on the x axis.

import type { EvaluatedRun, SignalPoint } from "../../../evaluate/run-data.ts";

export const RUN_START = new Date("2026-01-01T10:00:00.000Z");
export const RUN_END = new Date("2026-01-01T10:10:00.000Z");
export const at = (seconds: number): Date => new Date(RUN_START.getTime() + seconds * 1000);

function series(signal: string, name: string, valueAt: (s: number) => number | null): SignalPoint[] {
  return Array.from({ length: 60 }, (_, i) => ({ signal, series: name, window_end: at(10 * (i + 1)), value: valueAt(10 * (i + 1)) }));
}

export function fixtureRun(): EvaluatedRun {
  const decay = { incident_id: "1", kind: "model_decay", starts_at: at(120), ends_at: at(240), params: { model_noise_sd: 2.5 } };
  const outage = { incident_id: "2", kind: "prediction_outage", starts_at: at(420), ends_at: null, params: { drop_share: 1 } };
  return {
    scenario: "fixture <tour>",
    seed: "42",
    run_started_at: RUN_START,
    run_ended_at: RUN_END,
    incidents: [
      { incident: decay, detected_at: at(150), delay_seconds: 30, rules: ["roc_auc_low"] },
      { incident: outage, detected_at: null, delay_seconds: null, rules: [] },
    ],
    false_alerts: [{ rule_name: "srm_high", window_end: at(500), value: 12.5, threshold: 10.83 }],
    firings: [
      { rule_name: "roc_auc_low", window_end: at(150), value: 0.55, threshold: 0.6 },
      { rule_name: "roc_auc_low", window_end: at(160), value: 0.54, threshold: 0.6 },
      { rule_name: "roc_auc_low", window_end: at(170), value: 0.56, threshold: 0.6 },
      { rule_name: "srm_high", window_end: at(500), value: 12.5, threshold: 10.83 },
    ],
    signals: [
      ...series("model_quality_metrics.roc_auc", "control", (s) => (s >= 120 && s < 240 ? 0.55 : 0.8)),
      ...series("model_quality_metrics.roc_auc", "experiment", (s) => (s === 300 ? null : 0.78)),
      ...series("ab_test_metrics.srm_chi_square", "all", (s) => (s >= 480 ? 12 : 1)),
    ],
  };
}
