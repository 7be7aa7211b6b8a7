// Reading classifier_metrics at a chosen time, as plain comparable values, and comparing two
// sets of rows (exact for counts and dollars, a tight tolerance for double precision ratios).

import type pg from "pg";
import { expect } from "vitest";
import { iso } from "./dataset.ts";

/** One row of classifier_metrics: the contract's columns, plus the extra num_converted. */
export interface MetricsRow {
  window_end: string; // ISO-8601, UTC, milliseconds
  experiment_bucket: string;
  num_leads: number;
  num_scored: number;
  true_positives: number;
  false_positives: number;
  true_negatives: number;
  false_negatives: number;
  precision: number | null;
  recall: number | null;
  f1_score: number | null;
  accuracy: number | null;
  conversion_rate: number | null;
  revenue_dollars: string; // numeric(20, 2) as text, e.g. "123.45"
  coupon_cost_dollars: string;
  net_revenue_dollars: string;
  net_revenue_per_lead_dollars: number | null;
  num_converted: number;
}

export const COUNT_COLUMNS = [
  "num_leads", "num_scored", "true_positives", "false_positives", "true_negatives", "false_negatives", "num_converted",
] as const;
export const RATIO_COLUMNS = [
  "precision", "recall", "f1_score", "accuracy", "conversion_rate", "net_revenue_per_lead_dollars",
] as const;
export const DOLLAR_COLUMNS = ["revenue_dollars", "coupon_cost_dollars", "net_revenue_dollars"] as const;

/** Sets the reference engine's clock (mz_now()) for this session. */
export async function setNow(client: pg.Client, nowMs: number): Promise<void> {
  await client.query("select set_config('lab.now', $1, false)", [iso(nowMs)]);
}

/** classifier_metrics as Materialize would show it at `nowMs`. */
export async function metricsAt(client: pg.Client, nowMs: number): Promise<MetricsRow[]> {
  await setNow(client, nowMs);
  const result = await client.query("select * from classifier_metrics order by window_end, experiment_bucket");
  return result.rows.map(toMetricsRow);
}

export function toMetricsRow(raw: Record<string, unknown>): MetricsRow {
  const row: Record<string, unknown> = { ...raw };
  row.window_end = new Date(raw.window_end as string | Date).toISOString();
  for (const column of COUNT_COLUMNS) row[column] = Number(raw[column]);
  for (const column of RATIO_COLUMNS) row[column] = raw[column] === null ? null : Number(raw[column]);
  for (const column of DOLLAR_COLUMNS) row[column] = String(raw[column]);
  return row as unknown as MetricsRow;
}

const sortKey = (row: MetricsRow) => `${row.window_end} ${row.experiment_bucket}`;

/** Same rows: counts and dollars exactly, ratios within 1e-9 (relative) of each other. */
export function expectSameMetrics(actual: readonly MetricsRow[], expected: readonly MetricsRow[], context = ""): void {
  const a = [...actual].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
  const e = [...expected].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
  expect(a.map(sortKey), `${context}: the same (window_end, bucket) rows`).toEqual(e.map(sortKey));
  a.forEach((row, i) => {
    const want = e[i] as MetricsRow;
    const where = `${context}: ${sortKey(row)}`;
    for (const column of [...COUNT_COLUMNS, ...DOLLAR_COLUMNS]) expect(row[column], `${where} ${column}`).toBe(want[column]);
    for (const column of RATIO_COLUMNS) expectCloseOrNull(row[column], want[column], `${where} ${column}`);
  });
}

export function expectCloseOrNull(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Whole cents as numeric(20, 2) text: 12345 → "123.45", -5 → "-0.05". */
export function dollarsText(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
