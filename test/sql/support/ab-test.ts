// Reading ab_test_metrics at a chosen time as plain values, and comparing two sets of rows (counts exactly, doubles within a tight tolerance).

import type pg from "pg";
import { expect } from "vitest";
import { expectCloseOrNull, setNow } from "./metrics.ts";

/** One row of ab_test_metrics: the contract's columns and the two extras. */
export interface AbTestRow {
  window_end: string; // ISO-8601, UTC
  control_leads: number;
  experiment_leads: number;
  control_net_revenue_per_lead_dollars: number | null;
  experiment_net_revenue_per_lead_dollars: number | null;
  uplift_dollars_per_lead: number | null;
  uplift_standard_error: number | null;
  uplift_ci_low: number | null;
  uplift_ci_high: number | null;
  control_conversion_rate: number | null;
  experiment_conversion_rate: number | null;
  srm_chi_square: number | null;
  control_observed_share: number | null;
  control_expected_share: number | null;
}

export const AB_COUNT_COLUMNS = ["control_leads", "experiment_leads"] as const;
export const AB_DOUBLE_COLUMNS = [
  "control_net_revenue_per_lead_dollars",
  "experiment_net_revenue_per_lead_dollars",
  "uplift_dollars_per_lead",
  "uplift_standard_error",
  "uplift_ci_low",
  "uplift_ci_high",
  "control_conversion_rate",
  "experiment_conversion_rate",
  "srm_chi_square",
  "control_observed_share",
  "control_expected_share",
] as const;

/** ab_test_metrics as Materialize would show it at `nowMs`. */
export async function abTestAt(client: pg.Client, nowMs: number): Promise<AbTestRow[]> {
  await setNow(client, nowMs);
  const result = await client.query("select * from ab_test_metrics order by window_end");
  return result.rows.map(toAbTestRow);
}

export function toAbTestRow(raw: Record<string, unknown>): AbTestRow {
  const row: Record<string, unknown> = { ...raw };
  row.window_end = new Date(raw.window_end as string | Date).toISOString();
  for (const column of AB_COUNT_COLUMNS) row[column] = Number(raw[column]);
  for (const column of AB_DOUBLE_COLUMNS) row[column] = raw[column] === null ? null : Number(raw[column]);
  return row as unknown as AbTestRow;
}

/** Same windows; counts exactly, doubles within 1e-9 (relative, or absolute below 1). */
export function expectSameAbTest(actual: readonly AbTestRow[], expected: readonly AbTestRow[], context = ""): void {
  expect(actual.map((r) => r.window_end), `${context}: the same windows`).toEqual(expected.map((r) => r.window_end));
  actual.forEach((row, i) => {
    const want = expected[i] as AbTestRow;
    const where = `${context}: window ${row.window_end}`;
    for (const column of AB_COUNT_COLUMNS) expect(row[column], `${where} ${column}`).toBe(want[column]);
    for (const column of AB_DOUBLE_COLUMNS) expectCloseOrNull(row[column], want[column], `${where} ${column}`);
  });
}
