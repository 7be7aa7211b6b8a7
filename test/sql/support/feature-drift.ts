// The training-time reference as test rows, and reading feature_drift at a chosen time.

import { readFileSync } from "node:fs";
import type pg from "pg";
import { setNow } from "./metrics.ts";
import { typed } from "./model-quality.ts";

/** One row of model_reference_distribution. */
export interface ReferenceRow {
  modelVersion: string;
  feature: "score_decile" | "utm_source";
  value: string;
  count: number;
}

export interface FeatureDriftRow {
  window_end: string; // ISO-8601, UTC, milliseconds
  model_version: string;
  feature: string;
  num_leads: number;
  psi: number | null;
  num_other_leads: number;
}

const INSERT_REFERENCE = readFileSync(new URL("./sql/insert-reference-distribution.sql", import.meta.url), "utf8");

export async function insertReference(client: pg.Client, rows: readonly ReferenceRow[]): Promise<void> {
  await client.query(INSERT_REFERENCE, [rows.map((r) => r.modelVersion), rows.map((r) => r.feature), rows.map((r) => r.value), rows.map((r) => r.count)]);
}

/** Empties the reference (reference target only). */
export async function truncateReference(client: pg.Client): Promise<void> {
  await client.query("truncate public.model_reference_distribution");
}

export async function featureDriftAt(client: pg.Client, nowMs: number): Promise<FeatureDriftRow[]> {
  await setNow(client, nowMs);
  const result = await client.query("select * from feature_drift order by window_end, model_version, feature");
  return result.rows.map((r) => typed<FeatureDriftRow>(r, ["num_leads", "num_other_leads"], ["psi"]));
}

export const FEATURE_DRIFT_SHAPE = {
  keyOf: (r: FeatureDriftRow) => `${r.window_end} ${r.model_version} ${r.feature}`,
  counts: ["num_leads", "num_other_leads"],
  ratios: ["psi"],
};
