// Reads one run back from the reference engine: the ground truth, and every window of the
// alerts (and, when asked, of the signals) the run produced. A reference view shows the
// windows visible at `lab.now` (the last 10 minutes), so the run is read at several times
// covering it, newest first, and the windows seen more than once are kept once (the data are
// complete when read, so a window reads the same at every time it is visible).
// Windows ending after the run's end are left out: they hold a partial sample. Scoring needs
// no window before the warm-up's end or the first incident (whichever is earlier): neither a
// detection nor a false alert can be there, so those are read only for a report.

import { readFileSync } from "node:fs";
import type pg from "pg";
import type { AlertFiring, IncidentTruth, SignalPoint } from "./run-data.ts";

const sql = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), "utf8");
const QUERIES = { incidents: sql("incidents.sql"), alerts: sql("alerts.sql"), signals: sql("signals.sql"), session: sql("session.sql") };

/** After the run's end: its last leads mature (30 s) and the 5 s grace of pipeline_health passes. */
export const SETTLE_AFTER_END_MS = 60_000;
/** Apart by less than the 10 minutes a window stays visible, leaving room for a rule's run of windows. */
export const READ_STEP_MS = 7 * 60_000;
export const WINDOW_VISIBLE_MS = 10 * 60_000;

/** How far before a window its rule's run of windows may reach (12 windows of 10 s). */
export const LONGEST_RUN_MS = 2 * 60_000;

/**
 * The lab.now times that together show every window of [fromMs, endedAtMs], each with the
 * run of windows before it: the last one first. Windows before `fromMs` are not read.
 */
export function readTimesMs(fromMs: number, endedAtMs: number): number[] {
  const times = [endedAtMs + SETTLE_AFTER_END_MS];
  while ((times.at(-1) as number) - WINDOW_VISIBLE_MS + LONGEST_RUN_MS > fromMs) times.push((times.at(-1) as number) - READ_STEP_MS);
  return times;
}

export async function configureSession(client: pg.Client): Promise<void> {
  await client.query(QUERIES.session);
}

export async function readIncidents(client: pg.Client, runId: string): Promise<IncidentTruth[]> {
  const { rows } = await client.query<{ incident_id: number; kind: string; starts_at: Date; ends_at: Date | null; params: Record<string, unknown> }>(QUERIES.incidents, [runId]);
  return rows.map((r) => ({ incident_id: String(r.incident_id), kind: r.kind, starts_at: r.starts_at, ends_at: r.ends_at, params: r.params }));
}

export interface ReadFiring extends AlertFiring {
  signal: string;
  subject: string | null;
}

export async function readFirings(client: pg.Client, times: readonly number[], endedAtMs: number): Promise<ReadFiring[]> {
  const seen = new Map<string, ReadFiring>();
  for (const nowMs of times) {
    await setLabNow(client, nowMs);
    const { rows } = await client.query<{ rule_name: string; window_end: Date; value: number; threshold: number; signal: string; subject: string | null }>(QUERIES.alerts, [new Date(endedAtMs)]);
    for (const r of rows) seen.set(`${r.rule_name}|${r.subject ?? ""}|${r.window_end.toISOString()}`, r);
  }
  return [...seen.values()].sort((a, b) => a.window_end.getTime() - b.window_end.getTime() || a.rule_name.localeCompare(b.rule_name));
}

export async function readSignals(client: pg.Client, times: readonly number[], endedAtMs: number): Promise<SignalPoint[]> {
  const seen = new Map<string, SignalPoint>();
  for (const nowMs of times) {
    await setLabNow(client, nowMs);
    const { rows } = await client.query<{ signal: string; subject: string | null; window_end: Date; value: number }>(QUERIES.signals, [new Date(endedAtMs)]);
    for (const r of rows) {
      const point = { signal: r.signal, series: r.subject ?? "all", window_end: r.window_end, value: r.value };
      seen.set(`${point.signal}|${point.series}|${r.window_end.toISOString()}`, point);
    }
  }
  return [...seen.values()].sort((a, b) => a.window_end.getTime() - b.window_end.getTime());
}

async function setLabNow(client: pg.Client, nowMs: number): Promise<void> {
  await client.query("select set_config('lab.now', $1, false)", [new Date(nowMs).toISOString()]);
}
