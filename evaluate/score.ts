// Scores a run's alerts against its ground truth, as docs/monitoring.md §3 defines it. Pure:
// no clock, no database; the unit tests (test/unit/evaluate-score.test.ts) check it against
// hand-computed cases.
//
// - An incident's span is [starts_at, (ends_at, or the run's end) + 6 min] (the grace lets a
//   signal that lags, such as a 5-minute A/B window, still count).
// - Its detection is the first firing window_end at or after starts_at, by any rule, within
//   its span (a firing after the span is not about this incident: it is a false alert
//   unless another incident's span holds it); the delay is that window_end − starts_at.
// - Its rules: every rule that fired within its span, in the order they first fired.
// - A false alert: a firing outside every incident's span, after the warm-up (window_end
//   later than the run's start + 6 min).

import type { AlertFiring, FalseAlert, IncidentScore, IncidentTruth } from "./run-data.ts";

export const GRACE_AFTER_INCIDENT_MS = 6 * 60_000;
export const WARM_UP_MS = 6 * 60_000;

export interface RunSpan {
  startedAtMs: number;
  endedAtMs: number;
}

export interface Scored {
  incidents: IncidentScore[];
  false_alerts: FalseAlert[];
}

/** The last instant that still belongs to an incident (its end, or the run's, plus the grace). */
export function spanEndMs(incident: IncidentTruth, run: RunSpan): number {
  return (incident.ends_at?.getTime() ?? run.endedAtMs) + GRACE_AFTER_INCIDENT_MS;
}

/** The earliest window_end that can count: the warm-up's end, or an earlier incident's start. */
export function firstScoredMs(runStartedAtMs: number, truth: readonly IncidentTruth[]): number {
  return Math.min(runStartedAtMs + WARM_UP_MS, ...truth.map((i) => i.starts_at.getTime()));
}

export function scoreRun(truth: readonly IncidentTruth[], firings: readonly AlertFiring[], run: RunSpan): Scored {
  const byTime = [...firings].sort((a, b) => a.window_end.getTime() - b.window_end.getTime() || a.rule_name.localeCompare(b.rule_name));
  const incidents = truth.map((incident) => scoreIncident(incident, byTime, run));
  const inSomeSpan = (f: AlertFiring) => truth.some((i) => withinSpan(f, i, run));
  const false_alerts = byTime
    .filter((f) => f.window_end.getTime() > run.startedAtMs + WARM_UP_MS && !inSomeSpan(f))
    .map(({ rule_name, window_end, value, threshold }) => ({ rule_name, window_end, value, threshold }));
  return { incidents, false_alerts };
}

function withinSpan(firing: AlertFiring, incident: IncidentTruth, run: RunSpan): boolean {
  const atMs = firing.window_end.getTime();
  return atMs >= incident.starts_at.getTime() && atMs <= spanEndMs(incident, run);
}

function scoreIncident(incident: IncidentTruth, byTime: readonly AlertFiring[], run: RunSpan): IncidentScore {
  const during = byTime.filter((f) => withinSpan(f, incident, run));
  const first = during[0];
  const detected_at = first ? first.window_end : null;
  const delay_seconds = detected_at ? (detected_at.getTime() - incident.starts_at.getTime()) / 1000 : null;
  const rules = [...new Set(during.map((f) => f.rule_name))];
  return { incident, detected_at, delay_seconds, rules };
}
