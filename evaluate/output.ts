// What evaluate prints: a table per incident and the false alerts (for people), or one JSON
// object with the keys the issue fixes (for machines: CI, scripts).

import { DETECTION_BOUND_SECONDS } from "./detection-bounds.ts";
import type { EvaluatedRun } from "./run-data.ts";

export function runJson(run: EvaluatedRun): string {
  return JSON.stringify({
    scenario: run.scenario,
    seed: run.seed,
    incidents: run.incidents.map((s) => ({
      kind: s.incident.kind,
      starts_at: s.incident.starts_at.toISOString(),
      ends_at: s.incident.ends_at?.toISOString() ?? null,
      detected_at: s.detected_at?.toISOString() ?? null,
      delay_seconds: s.delay_seconds,
      rules: s.rules,
    })),
    false_alerts: run.false_alerts.map((f) => ({
      rule_name: f.rule_name, window_end: f.window_end.toISOString(), value: f.value, threshold: f.threshold,
    })),
  });
}

export function runTable(run: EvaluatedRun): string {
  const lines = [
    `scenario ${run.scenario}, seed ${run.seed}: ${run.run_started_at.toISOString()} to ${run.run_ended_at.toISOString()}`,
    "",
    row(["incident", "kind", "start", "end", "first detection", "delay s", "bound s", "rules that fired"]),
  ];
  for (const s of run.incidents) {
    lines.push(row([
      s.incident.incident_id, s.incident.kind, clock(s.incident.starts_at), s.incident.ends_at ? clock(s.incident.ends_at) : "(open)",
      s.detected_at ? clock(s.detected_at) : "MISSED", s.delay_seconds === null ? "-" : String(s.delay_seconds),
      String(DETECTION_BOUND_SECONDS[s.incident.kind] ?? "-"), s.rules.join(", ") || "-",
    ]));
  }
  if (run.incidents.length === 0) lines.push("(no incident)");
  lines.push("", `false alerts: ${run.false_alerts.length}`);
  for (const f of run.false_alerts) lines.push(`  ${clock(f.window_end)}  ${f.rule_name}  value ${round(f.value)}, threshold ${f.threshold}`);
  return `${lines.join("\n")}\n`;
}

const row = (cells: string[]) => cells.join(" | ");
const clock = (d: Date) => d.toISOString().replace("T", " ").replace(/\.000Z$/, "Z");
const round = (v: number) => Number(v.toPrecision(4));
