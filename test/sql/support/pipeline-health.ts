// Reading pipeline_health at a chosen time as plain values, and comparing two sets of rows
// (counts exactly, doubles within a tight tolerance).

import type pg from "pg";
import { expect } from "vitest";
import { expectCloseOrNull, setNow } from "./metrics.ts";

/** One row of pipeline_health. */
export interface PipelineHealthRow {
  window_end: string; // ISO-8601, UTC
  leads: number;
  scored_leads: number;
  prediction_coverage: number | null;
  prediction_messages: number;
  duplicate_messages: number;
  rejected_messages: number;
  mean_prediction_latency_ms: number | null;
  max_prediction_latency_ms: number | null;
  mean_delivery_delay_ms: number | null;
  max_delivery_delay_ms: number | null;
  conversions: number;
  conversions_after_horizon: number;
  late_conversion_share: number | null;
}

export const HEALTH_COUNT_COLUMNS = [
  "leads", "scored_leads", "prediction_messages", "duplicate_messages", "rejected_messages", "conversions", "conversions_after_horizon",
] as const;
export const HEALTH_DOUBLE_COLUMNS = [
  "prediction_coverage", "mean_prediction_latency_ms", "max_prediction_latency_ms", "mean_delivery_delay_ms", "max_delivery_delay_ms",
  "late_conversion_share",
] as const;

/** pipeline_health as Materialize would show it at `nowMs`. */
export async function pipelineHealthAt(client: pg.Client, nowMs: number): Promise<PipelineHealthRow[]> {
  await setNow(client, nowMs);
  const result = await client.query("select * from pipeline_health order by window_end");
  return result.rows.map(toPipelineHealthRow);
}

export function toPipelineHealthRow(raw: Record<string, unknown>): PipelineHealthRow {
  const row: Record<string, unknown> = { ...raw };
  row.window_end = new Date(raw.window_end as string | Date).toISOString();
  for (const column of HEALTH_COUNT_COLUMNS) row[column] = Number(raw[column]);
  for (const column of HEALTH_DOUBLE_COLUMNS) row[column] = raw[column] === null ? null : Number(raw[column]);
  return row as unknown as PipelineHealthRow;
}

/** Same windows; counts exactly, doubles within 1e-9 (relative, or absolute below 1). */
export function expectSameHealth(actual: readonly PipelineHealthRow[], expected: readonly PipelineHealthRow[], context = ""): void {
  expect(actual.map((r) => r.window_end), `${context}: the same windows`).toEqual(expected.map((r) => r.window_end));
  actual.forEach((row, i) => {
    const want = expected[i] as PipelineHealthRow;
    const where = `${context}: window ${row.window_end}`;
    for (const column of HEALTH_COUNT_COLUMNS) expect(row[column], `${where} ${column}`).toBe(want[column]);
    for (const column of HEALTH_DOUBLE_COLUMNS) expectCloseOrNull(row[column], want[column], `${where} ${column}`);
  });
}
