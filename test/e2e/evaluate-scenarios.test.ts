// The proof of the default alert rules: `npm run evaluate` runs every built-in scenario in fast
// mode into a fresh reference engine and scores the alerts against the ground truth.
// It fails when an incident is missed, detected later than its bound (docs/monitoring.md §3),
// or when any scenario raises a false alert. Single-incident runs are shortened where the bound
// allows: each runs until 30 s after its bound (so every window up to the bound is read).
// `steady` runs its full 30 simulated minutes and `tour` its 32 (six incidents in a row).
// Cost: docs/alerts.md, "In CI".

import { describe, expect, it } from "vitest";
import { DETECTION_BOUND_SECONDS } from "../../evaluate/detection-bounds.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { runTool } from "../helpers/run-tool.ts";
import { usePostgres } from "../helpers/services.ts";

const pg = await usePostgres();

interface JsonRun {
  scenario: string;
  seed: string;
  incidents: { kind: string; starts_at: string; ends_at: string | null; detected_at: string | null; delay_seconds: number | null; rules: string[] }[];
  false_alerts: { rule_name: string; window_end: string; value: number; threshold: number }[];
}

/** Built-in scenario → the simulated duration CI runs (the incident starts at 6 min). */
const CI_RUNS: readonly (readonly [scenario: string, duration: string])[] = [
  ["steady", "30m"],
  ["prediction-outage", "420s"],
  ["duplicate-predictions", "420s"],
  ["score-shift", "450s"],
  ["traffic-shift", "450s"],
  ["model-decay", "510s"],
  ["concept-drift", "510s"],
  ["split-bug", "510s"],
  ["label-delay", "510s"],
  ["coupon-fatigue", "630s"],
  ["tour", "32m"],
];

/** How many incidents a built-in scenario holds (one for each single-kind scenario). */
const INCIDENTS_PER_SCENARIO: Readonly<Record<string, number>> = { steady: 0, tour: 6 };

describe.skipIf(!pg.available)("the default alert rules against every built-in scenario's ground truth", () => {
  it.each(CI_RUNS)("%s (run for %s) detects its incidents within their bounds and raises no false alert", async (scenario, duration) => {
    if (!pg.available) return;
    await using db = await createTestDatabase(pg.adminUrl);
    const started = performance.now();
    const result = await runTool("evaluate/main.ts", ["--scenario", scenario, "--duration", duration, "--url", db.url, "--json"], { timeoutMs: 600_000 });
    expect(result.code, `evaluate exited ${result.code}:\n${result.stderr}`).toBe(0);
    const run = JSON.parse(result.stdout) as JsonRun;
    const table = describeRun(run);
    console.log(`${table}\n(evaluate took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    for (const incident of run.incidents) {
      const bound = DETECTION_BOUND_SECONDS[incident.kind];
      expect(bound, `no detection bound for kind ${incident.kind}\n${table}`).toBeDefined();
      expect(incident.delay_seconds, `${incident.kind} was missed\n${table}`).not.toBeNull();
      expect(incident.delay_seconds as number, `${incident.kind} detected later than its bound of ${bound} s\n${table}`).toBeLessThanOrEqual(bound as number);
    }
    expect(run.false_alerts, `false alerts\n${table}`).toEqual([]);
    expect(run.incidents.length, table).toBe(INCIDENTS_PER_SCENARIO[scenario] ?? 1);
  });
});

function describeRun(run: JsonRun): string {
  const lines = [`scenario ${run.scenario}, seed ${run.seed}`, "kind | start | detected | delay s | bound s | rules"];
  for (const i of run.incidents) {
    lines.push(`${i.kind} | ${i.starts_at} | ${i.detected_at ?? "MISSED"} | ${i.delay_seconds ?? "-"} | ${DETECTION_BOUND_SECONDS[i.kind] ?? "?"} | ${i.rules.join(", ") || "-"}`);
  }
  lines.push(`false alerts: ${run.false_alerts.length}`, ...run.false_alerts.slice(0, 20).map((f) => `  ${f.window_end} ${f.rule_name} value ${f.value} threshold ${f.threshold}`));
  return lines.join("\n");
}
