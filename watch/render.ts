// What the terminal shows: a table redrawn in place on a terminal (cli-table3, sparkly), or
// plain lines, one per bucket and new window, when stdout is a file or a pipe. Pure: no I/O.

import Table from "cli-table3";
import sparkly from "sparkly";
import type { BucketLine } from "./model.ts";

export type ViewRow = Record<string, unknown>;

export interface Screen {
  engine: "reference" | "materialize";
  nowMs: number;
  buckets: BucketLine[];
  /** The newest settled rows of each signal view that exists. */
  signals: Array<{ view: string; rows: ViewRow[] }>;
  /** The newest firing alerts; undefined when there is no alerts view. */
  alerts: ViewRow[] | undefined;
}

const MAX_COLUMNS_PER_ROW = 6;

export function renderTerminal(screen: Screen): string {
  const head = `ml-monitoring-lab · ${screen.engine} engine · ${clock(screen.nowMs)}`;
  if (screen.buckets.length === 0) return `${head}\nwaiting for the first settled window (leads mature after 30 s, windows settle 5 s later)…`;
  const windowEnd = clock(screen.buckets[0]!.windowEndMs);
  const table = new Table({
    head: ["bucket", "leads", "precision", "recall", "F1", "net $/lead", "trend"],
    style: { head: [], border: [], compact: true },
  });
  for (const b of screen.buckets) {
    table.push([b.bucket, b.numLeads, ratio(b.precision), ratio(b.recall), ratio(b.f1), dollars(b.netRevenuePerLeadDollars), trendLine(b.trend, true)]);
  }
  const lines = [head, `classifier_metrics, window of 30 s ending ${windowEnd}`, table.toString()];
  for (const signal of screen.signals) {
    lines.push(`${signal.view}:`, ...signal.rows.map((row) => `  ${fields(row)}`));
  }
  if (screen.alerts !== undefined) {
    lines.push(screen.alerts.length === 0 ? "alerts: none firing" : "alerts (newest first):", ...screen.alerts.map((row) => `  ${fields(row)}`));
  }
  return lines.join("\n");
}

/** Plain lines for the newest window, or none when it was printed already. */
export function plainLines(screen: Screen, lastPrintedWindowMs: number | undefined): string[] {
  const windowEndMs = screen.buckets[0]?.windowEndMs;
  if (windowEndMs === undefined || windowEndMs === lastPrintedWindowMs) return [];
  const when = new Date(windowEndMs).toISOString();
  return [
    ...screen.buckets.map((b) =>
      `window_end=${when} bucket=${b.bucket} leads=${b.numLeads} precision=${ratio(b.precision)} recall=${ratio(b.recall)} ` +
      `f1=${ratio(b.f1)} net_revenue_per_lead_dollars=${dollars(b.netRevenuePerLeadDollars)} trend=${trendLine(b.trend, false)}`),
    ...screen.signals.flatMap((s) => s.rows.map((row) => `signal ${s.view} ${fields(row)}`)),
    ...(screen.alerts ?? []).map((row) => `alert ${fields(row)}`),
  ];
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
