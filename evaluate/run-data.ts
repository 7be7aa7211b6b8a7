// What one evaluated run is made of: the ground truth, the signals read window by window, the
// alerts that fired, and how those alerts score against the truth. `npm run evaluate` fills it
// (from the reference engine); the report (`--report <dir>`) and `--json` only read it.
// The shape is the seam between the two: change it here, in one place.

/** One incident of the ground truth (table `scenario_incidents`). */
export interface IncidentTruth {
  incident_id: string;
  kind: string;
  starts_at: Date;
  /** null: open until the run's end. */
  ends_at: Date | null;
  params: Record<string, unknown>;
}

/** One row of `monitoring_alerts`: a rule that fired in one window. */
export interface AlertFiring {
  rule_name: string;
  window_end: Date;
  value: number;
  threshold: number;
}

/** One value of one signal in one window, e.g. signal "roc_auc", series "control". */
export interface SignalPoint {
  /** The signal, as `<view>.<column>` (e.g. "model_quality_metrics.roc_auc"). */
  signal: string;
  /** What the line is drawn for: a bucket, a feature, or "all". */
  series: string;
  window_end: Date;
  value: number | null;
}

/** How one incident was caught. */
export interface IncidentScore {
  incident: IncidentTruth;
  /** The first firing window_end at or after starts_at; null when missed. */
  detected_at: Date | null;
  delay_seconds: number | null;
  /** The rules that fired during the incident (its span plus the grace after it). */
  rules: string[];
}

/** A firing outside every incident's span and grace, after the warm-up. */
export interface FalseAlert {
  rule_name: string;
  window_end: Date;
  value: number;
  threshold: number;
}

export interface EvaluatedRun {
  scenario: string;
  seed: string;
  run_started_at: Date;
  run_ended_at: Date;
  incidents: IncidentScore[];
  false_alerts: FalseAlert[];
  firings: AlertFiring[];
  signals: SignalPoint[];
}
