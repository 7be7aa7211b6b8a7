// Test helpers for monitoring_alerts: rules and hand-built signal windows written as rows, the
// view read at a time, and an independent oracle of which (window, rule, subject) fire, written
// from the rule's definition (docs/alerts.md): the crossing windows, then a run of them.

import { readFileSync } from "node:fs";
import type pg from "pg";

export interface RuleRow {
  rule_name: string;
  signal: string;
  subject: string | null;
  direction: "above" | "below";
  threshold: number;
  min_leads: number;
  consecutive_windows: number;
  enabled: boolean;
}

export interface SignalWindow {
  signal: string;
  subject: string | null;
  windowEndMs: number;
  value: number;
  numLeads: number;
  hopSeconds: number;
}

export interface AlertRow {
  rule_name: string;
  window_end: string;
  value: number;
  threshold: number;
  signal: string;
  subject: string | null;
}

const VISIBLE_MS = 10 * 60_000;
const sql = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), "utf8");

export async function useHandBuiltSignals(client: pg.Client): Promise<void> {
  await client.query(sql("hand-signal-values.sql"));
}

export async function givenRulesAndWindows(client: pg.Client, rules: readonly RuleRow[], windows: readonly SignalWindow[]): Promise<void> {
  await client.query("truncate alert_rules, hand_signal_values");
  await client.query(
    sql("insert-alert-rules.sql"),
    [rules.map((r) => r.rule_name), rules.map((r) => r.signal), rules.map((r) => r.subject), rules.map((r) => r.direction),
      rules.map((r) => r.threshold), rules.map((r) => r.min_leads), rules.map((r) => r.consecutive_windows), rules.map((r) => r.enabled)],
  );
  await client.query(
    sql("insert-hand-signal-values.sql"),
    [windows.map((w) => w.signal), windows.map((w) => w.subject), windows.map((w) => new Date(w.windowEndMs).toISOString()),
      windows.map((w) => w.value), windows.map((w) => w.numLeads), windows.map((w) => w.hopSeconds)],
  );
}

export async function alertsAt(client: pg.Client, nowMs: number): Promise<AlertRow[]> {
  await client.query("select set_config('lab.now', $1, false)", [new Date(nowMs).toISOString()]);
  const { rows } = await client.query<Omit<AlertRow, "window_end"> & { window_end: Date }>("select * from monitoring_alerts");
  return sortAlerts(rows.map((r) => ({ ...r, window_end: r.window_end.toISOString() })));
}

/** The oracle: a rule fires at E for a subject when E and the n - 1 windows one hop before it all cross. */
export function oracleAlerts(rules: readonly RuleRow[], windows: readonly SignalWindow[], nowMs: number): AlertRow[] {
  const visible = windows.filter((w) => w.windowEndMs <= nowMs && nowMs < w.windowEndMs + VISIBLE_MS);
  const out: AlertRow[] = [];
  for (const rule of rules.filter((r) => r.enabled)) {
    const crosses = (w: SignalWindow) =>
      w.signal === rule.signal && (rule.subject === null || rule.subject === w.subject) && w.numLeads >= rule.min_leads &&
      (rule.direction === "above" ? w.value > rule.threshold : w.value < rule.threshold);
    const crossing = visible.filter(crosses);
    const key = (subject: string | null, endMs: number) => `${subject ?? ""}|${endMs}`;
    const crossingKeys = new Set(crossing.map((w) => key(w.subject, w.windowEndMs)));
    for (const w of crossing) {
      let run = 0;
      while (run < rule.consecutive_windows && crossingKeys.has(key(w.subject, w.windowEndMs - run * w.hopSeconds * 1000))) run += 1;
      if (run === rule.consecutive_windows) {
        out.push({ rule_name: rule.rule_name, window_end: new Date(w.windowEndMs).toISOString(), value: w.value, threshold: rule.threshold, signal: w.signal, subject: w.subject });
      }
    }
  }
  return sortAlerts(out);
}

function sortAlerts(rows: AlertRow[]): AlertRow[] {
  const key = (r: AlertRow) => `${r.rule_name}|${r.subject ?? ""}|${r.window_end}`;
  return rows.sort((a, b) => key(a).localeCompare(key(b)));
}
