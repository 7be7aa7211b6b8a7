// A run's identity and ground truth. The timeline of a scenario is anchored at the run's
// start; with Postgres that start is stored (loadgen.runs) so a restart with the same seed and
// scenario keeps its incidents where they were. Incidents become rows of scenario_incidents
// (Postgres) or `{"type":"incident", ...}` lines (stdout), with the same fields.

import { createHash } from "node:crypto";
import type { Scenario } from "./scenarios/load.ts";
import { timelineOf } from "./scenarios/load.ts";
import { isoFromMs } from "./sim/time.ts";

export interface RunFacts {
  seed: string;
  scenario: Scenario;
  /** Where a new run's timeline starts: the simulation's first instant. */
  proposedStartMs: number;
  /** The configured split: control share (the experiment bucket gets the rest). */
  controlShare: number;
}

export interface RunAnchor {
  runId: string;
  startedAtMs: number;
  /** True when an earlier start of the same run was found (a restart). */
  resumed: boolean;
}

/** One row of scenario_incidents, also the body of an incident line on stdout. */
export interface IncidentRow {
  run_id: string;
  incident_id: number;
  kind: string;
  starts_at: string;
  ends_at: string | null;
  params: unknown;
}

/** Same seed and same scenario (as loaded, not as named) → same key. */
export function runKeyOf(facts: Pick<RunFacts, "seed" | "scenario">): string {
  const { name, incidents } = facts.scenario;
  return createHash("sha256").update(JSON.stringify({ seed: facts.seed, name, incidents })).digest("hex").slice(0, 32);
}

export function newRunAnchor(facts: RunFacts): RunAnchor {
  const runId = `${facts.scenario.name}@${new Date(facts.proposedStartMs).toISOString()}`;
  return { runId, startedAtMs: facts.proposedStartMs, resumed: false };
}

export function incidentRows(facts: RunFacts, anchor: RunAnchor): IncidentRow[] {
  return timelineOf(facts.scenario, anchor.startedAtMs).map((incident) => ({
    run_id: anchor.runId,
    incident_id: incident.incidentId,
    kind: incident.kind,
    starts_at: isoFromMs(incident.startsAtMs),
    ends_at: incident.endsAtMs === undefined ? null : isoFromMs(incident.endsAtMs),
    params: incident.params,
  }));
}

/** experiment_design rows; none when a bucket would get no leads at all (the table needs 0 < share < 1). */
export function designRows(controlShare: number): { experiment_bucket: string; expected_share: number }[] {
  if (!(controlShare > 0 && controlShare < 1)) return [];
  return [
    { experiment_bucket: "control", expected_share: controlShare },
    { experiment_bucket: "experiment", expected_share: 1 - controlShare },
  ];
}

/** The stdout form: `{"type":"incident",...}`, fields in the table's column order. */
export function incidentLine(row: IncidentRow): string {
  return JSON.stringify({ type: "incident", ...row });
}
