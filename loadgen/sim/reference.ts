// The model's training-time reference (model_reference_distribution): what a profile's
// scores and audience look like with no incident at all. A fixed seed and a fixed clock, so
// the reference never depends on the run's seed or scenario; the same profile settings give
// the same rows at every start. A lead's score and source do not depend on its arrival time,
// so only profile.predict() is called (the cheap part of a lead's plan).

import type { Profile } from "./profiles/types.ts";

export const REFERENCE_SEED = "model-reference";
export const REFERENCE_LEADS = 100_000;

export interface ReferenceRow {
  model_version: string;
  feature: "score_decile" | "utm_source";
  value: string;
  reference_count: number;
}

/** decile = least(floor(score·10), 9), as text '0'..'9'. */
export function scoreDecile(score: number): string {
  return String(Math.min(Math.floor(score * 10), 9));
}

/** Counts per score decile (all ten, zeros included) and per utm_source seen, sorted by feature and value. */
export function referenceDistribution(profile: Profile, leads = REFERENCE_LEADS): ReferenceRow[] {
  const counter = referenceCounter(profile);
  counter.count(1, leads);
  return counter.rows();
}

/**
 * The same rows, counted `sliceLeads` at a time with `betweenSlices()` awaited in between, so a
 * caller can let its event loop turn (the generator computes this while its first leads flow).
 */
export async function referenceDistributionInSlices(
  profile: Profile, betweenSlices: () => Promise<void>, sliceLeads = 5_000, leads = REFERENCE_LEADS,
): Promise<ReferenceRow[]> {
  const counter = referenceCounter(profile);
  for (let first = 1; first <= leads; first += sliceLeads) {
    await betweenSlices();
    counter.count(first, Math.min(first + sliceLeads - 1, leads));
  }
  return counter.rows();
}

function referenceCounter(profile: Profile) {
  const deciles = new Map<string, number>(Array.from({ length: 10 }, (_, d) => [String(d), 0]));
  const sources = new Map<string, number>();
  let modelVersion = "";
  const ctx = { seed: REFERENCE_SEED };
  const count = (firstLeadId: number, lastLeadId: number) => {
    for (let leadId = firstLeadId; leadId <= lastLeadId; leadId++) {
      const prediction = profile.predict(ctx, leadId);
      modelVersion = prediction.model_version;
      const decile = scoreDecile(prediction.score);
      deciles.set(decile, deciles.get(decile)! + 1);
      sources.set(prediction.utm_source, (sources.get(prediction.utm_source) ?? 0) + 1);
    }
  };
  return { count, rows: () => rowsOf(modelVersion, deciles, sources) };
}

function rowsOf(modelVersion: string, deciles: Map<string, number>, sources: Map<string, number>): ReferenceRow[] {
  const rows = (feature: ReferenceRow["feature"], counts: Map<string, number>) =>
    [...counts].map(([value, reference_count]) => ({ model_version: modelVersion, feature, value, reference_count }));
  const byValue = (a: ReferenceRow, b: ReferenceRow) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  return [...rows("score_decile", deciles).sort(byValue), ...rows("utm_source", sources).sort(byValue)];
}
