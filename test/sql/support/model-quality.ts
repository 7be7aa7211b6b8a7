// Reading model_quality_metrics and model_quality_reliability at a chosen time, as plain
// comparable values, and comparing two sets of rows (counts exactly, doubles within 1e-9).

import type pg from "pg";
import { expect } from "vitest";
import { expectCloseOrNull, setNow } from "./metrics.ts";

export interface ModelQualityRow {
  window_end: string; // ISO-8601, UTC, milliseconds
  experiment_bucket: string;
  num_scored: number;
  num_positive: number;
  mean_score: number | null;
  roc_auc: number | null;
  log_loss: number | null;
  brier_score: number | null;
  expected_calibration_error: number | null;
  calibration_ratio: number | null;
}

export interface ReliabilityRow {
  window_end: string;
  experiment_bucket: string;
  score_decile: number;
  num_scored: number;
  num_positive: number;
  mean_score: number | null;
  observed_rate: number | null;
}

const QUALITY_COUNTS = ["num_scored", "num_positive"] as const;
const QUALITY_RATIOS = ["mean_score", "roc_auc", "log_loss", "brier_score", "expected_calibration_error", "calibration_ratio"] as const;
const RELIABILITY_COUNTS = ["score_decile", "num_scored", "num_positive"] as const;
const RELIABILITY_RATIOS = ["mean_score", "observed_rate"] as const;

export async function modelQualityAt(client: pg.Client, nowMs: number): Promise<{ metrics: ModelQualityRow[]; reliability: ReliabilityRow[] }> {
  await setNow(client, nowMs);
  const metrics = await client.query("select * from model_quality_metrics order by window_end, experiment_bucket");
  const reliability = await client.query("select * from model_quality_reliability order by window_end, experiment_bucket, score_decile");
  return {
    metrics: metrics.rows.map((r) => typed<ModelQualityRow>(r, QUALITY_COUNTS, QUALITY_RATIOS)),
    reliability: reliability.rows.map((r) => typed<ReliabilityRow>(r, RELIABILITY_COUNTS, RELIABILITY_RATIOS)),
  };
}

export function typed<T>(raw: Record<string, unknown>, counts: readonly string[], ratios: readonly string[]): T {
  const row: Record<string, unknown> = { ...raw };
  row.window_end = new Date(raw.window_end as string | Date).toISOString();
  for (const column of counts) row[column] = Number(raw[column]);
  for (const column of ratios) row[column] = raw[column] === null ? null : Number(raw[column]);
  return row as T;
}

/** The same rows, keyed by `keyOf`: counts exactly, ratios within 1e-9 (relative). */
export function expectSameRows<T extends object>(
  actual: readonly T[],
  expected: readonly T[],
  shape: { keyOf: (row: T) => string; counts: readonly string[]; ratios: readonly string[] },
  context = "",
): void {
  const sorted = (rows: readonly T[]) => [...rows].sort((x, y) => shape.keyOf(x).localeCompare(shape.keyOf(y)));
  const [a, e] = [sorted(actual), sorted(expected)];
  expect(a.map(shape.keyOf), `${context}: the same rows`).toEqual(e.map(shape.keyOf));
  a.forEach((row, i) => {
    const [got, want] = [row as Record<string, unknown>, e[i] as Record<string, unknown>];
    const where = `${context}: ${shape.keyOf(row)}`;
    for (const column of shape.counts) expect(got[column], `${where} ${column}`).toBe(want[column]);
    for (const column of shape.ratios) expectCloseOrNull(got[column] as number | null, want[column] as number | null, `${where} ${column}`);
  });
}

export const QUALITY_SHAPE = {
  keyOf: (r: ModelQualityRow) => `${r.window_end} ${r.experiment_bucket}`,
  counts: QUALITY_COUNTS,
  ratios: QUALITY_RATIOS,
};
export const RELIABILITY_SHAPE = {
  keyOf: (r: ReliabilityRow) => `${r.window_end} ${r.experiment_bucket} ${r.score_decile}`,
  counts: RELIABILITY_COUNTS,
  ratios: RELIABILITY_RATIOS,
};
