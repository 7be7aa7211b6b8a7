// How long a run lasts when --duration is not given: a scenario without incidents runs the
// 30 simulated minutes in which `steady` must raise no false alert; otherwise the run ends
// 2 minutes after the last incident ends (an open-ended one is given 3 minutes), which leaves
// every detection bound of docs/monitoring.md §3 (at most 240 s after the start) room to be
// met for an incident of at least 2 minutes.

import type { Scenario } from "../loadgen/scenarios/load.ts";

export const STEADY_DURATION_SECONDS = 30 * 60;
export const AFTER_LAST_INCIDENT_SECONDS = 120;
/** An open-ended incident is given this long before the 2 minutes after it. */
export const OPEN_ENDED_SECONDS = 180;

export function defaultDurationSeconds(scenario: Scenario): number {
  if (scenario.incidents.length === 0) return STEADY_DURATION_SECONDS;
  const lastEnd = Math.max(...scenario.incidents.map((i) => i.atSeconds + (i.forSeconds ?? OPEN_ENDED_SECONDS)));
  return lastEnd + AFTER_LAST_INCIDENT_SECONDS;
}
