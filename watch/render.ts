// What the terminal shows: a table redrawn in place on a terminal (cli-table3, sparkly), each
// panel with the age of its reading; or plain lines when stdout is a file or a pipe: one per
// bucket and new window, and a view's lines when a reading of it shows new rows. Pure: no I/O.

import Table from "cli-table3";
import sparkly from "sparkly";
import type { BucketLine } from "./model.ts";

export type ViewRow = Record<string, unknown>;

/** One optional view's panel: its newest settled rows, or undefined while its first read runs. */
export interface Panel {
  view: string;
  rows: ViewRow[] | undefined;
  /** The time the reading describes (lab.now on the reference engine). */
  asOfMs: number | undefined;
}

export interface Screen {
  engine: "reference" | "materialize";
  nowMs: number;
  buckets: BucketLine[];
  /** When the headline (classifier_metrics) was read; undefined before its first reading. */
  headlineAsOfMs: number | undefined;
  /** Each signal view that exists. */
  signals: Panel[];
  /** The newest firing alerts; undefined when there is no alerts view. */
  alerts: Panel | undefined;
}

const MAX_COLUMNS_PER_ROW = 6;

export function renderTerminal(screen: Screen): string {
  const head = `ml-monitoring-lab · ${screen.engine} engine · ${clock(screen.nowMs)}`;
  return [head, ...headlineLines(screen), ...screen.signals.flatMap((panel) => panelLines(panel, screen.nowMs)), ...alertLines(screen.alerts, screen.nowMs)].join("\n");
}

function headlineLines(screen: Screen): string[] {
  if (screen.headlineAsOfMs === undefined) return ["classifier_metrics: reading…"];
  if (screen.buckets.length === 0) return ["waiting for the first settled window (leads mature after 30 s, windows settle 5 s later)…"];
  const windowEnd = clock(screen.buckets[0]!.windowEndMs);
  const table = new Table({
    head: ["bucket", "leads", "precision", "recall", "F1", "net $/lead", "trend"],
    style: { head: [], border: [], compact: true },
  });
  for (const b of screen.buckets) {
    table.push([b.bucket, b.numLeads, ratio(b.precision), ratio(b.recall), ratio(b.f1), dollars(b.netRevenuePerLeadDollars), trendLine(b.trend, true)]);
  }
  return [`classifier_metrics, window of 30 s ending ${windowEnd} (${age(screen.headlineAsOfMs, screen.nowMs)})`, table.toString()];
}

function panelLines(panel: Panel, nowMs: number): string[] {
  if (panel.rows === undefined) return [`${panel.view}: reading…`];
  return [`${panel.view} (${age(panel.asOfMs, nowMs)}):`, ...panel.rows.map((row) => `  ${fields(row)}`)];
}

function alertLines(alerts: Panel | undefined, nowMs: number): string[] {
  if (alerts === undefined) return [];
  if (alerts.rows === undefined) return ["alerts: reading…"];
  const when = age(alerts.asOfMs, nowMs);
  return [alerts.rows.length === 0 ? `alerts: none firing (${when})` : `alerts, newest first (${when}):`, ...alerts.rows.map((row) => `  ${fields(row)}`)];
}

/** "as of 12:00:03, 4 s ago": how old a reading is. */
function age(asOfMs: number | undefined, nowMs: number): string {
  if (asOfMs === undefined) return "reading…";
  return `as of ${clock(asOfMs)}, ${Math.max(0, Math.round((nowMs - asOfMs) / 1000))} s ago`;
}

/** Plain lines for the headline's newest window, or none when it was printed already. */
export function plainLines(screen: Screen, lastPrintedWindowMs: number | undefined): string[] {
  const windowEndMs = screen.buckets[0]?.windowEndMs;
  if (windowEndMs === undefined || windowEndMs === lastPrintedWindowMs) return [];
  const when = new Date(windowEndMs).toISOString();
  return [
    ...screen.buckets.map((b) =>
      `window_end=${when} bucket=${b.bucket} leads=${b.numLeads} precision=${ratio(b.precision)} recall=${ratio(b.recall)} ` +
      `f1=${ratio(b.f1)} net_revenue_per_lead_dollars=${dollars(b.netRevenuePerLeadDollars)} trend=${trendLine(b.trend, false)}`),
  ];
}

/** Plain lines for a new reading of one panel (a signal view, or the alerts): one per row. */
export function plainPanelLines(panel: Panel, isAlerts: boolean): string[] {
  const asOf = panel.asOfMs === undefined ? "" : `as_of=${new Date(panel.asOfMs).toISOString()} `;
  return (panel.rows ?? []).map((row) => (isAlerts ? `alert ${asOf}${fields(row)}` : `signal ${panel.view} ${asOf}${fields(row)}`));
}

/** A sparkline of the values (coloured on a terminal, plain characters otherwise). */
function trendLine(values: readonly number[], colour: boolean): string {
  if (values.length < 2) return "";
  const line = sparkly([...values]);
  return colour ? line : line.replace(/\u001b\[[0-9;]*m/g, "");
}

const ratio = (value: number | null) => (value === null ? "—" : value.toFixed(3));
const dollars = (value: number | null) => (value === null ? "—" : value.toFixed(2));
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** `name=value` for a row's first few columns, numbers shortened. */
function fields(row: ViewRow): string {
  return Object.entries(row)
    .slice(0, MAX_COLUMNS_PER_ROW + 1)
    .map(([key, value]) => `${key}=${shown(key, value)}`)
    .join(" ");
}

function shown(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (value instanceof Date) return key === "window_end" ? clock(value.getTime()) : value.toISOString();
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  return String(value);
}
