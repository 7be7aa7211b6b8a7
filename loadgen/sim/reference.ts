// The model's training-time reference (model_reference_distribution): what a profile's
// scores and audience look like with no incident at all. A fixed seed and a fixed clock, so
// the reference never depends on the run's seed or scenario; the same profile settings give
// the same rows at every start.

import type { Profile } from "./profiles/types.ts";

export const REFERENCE_SEED = "model-reference";
export const REFERENCE_LEADS = 100_000;
const REFERENCE_CREATED_AT_MS = Date.UTC(2026, 0, 1);

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
  const deciles = new Map<string, number>(Array.from({ length: 10 }, (_, d) => [String(d), 0]));
  const sources = new Map<string, number>();
  let modelVersion = "";
  const ctx = { seed: REFERENCE_SEED };
  for (let leadId = 1; leadId <= leads; leadId++) {
    const { lead, prediction } = profile.planLead(ctx, leadId, REFERENCE_CREATED_AT_MS);
    modelVersion = prediction.model_version;
    const decile = scoreDecile(prediction.score);
    deciles.set(decile, deciles.get(decile)! + 1);
    sources.set(lead.utm_source, (sources.get(lead.utm_source) ?? 0) + 1);
  }
  const rows = (feature: ReferenceRow["feature"], counts: Map<string, number>) =>
    [...counts].map(([value, reference_count]) => ({ model_version: modelVersion, feature, value, reference_count }));
  const byValue = (a: ReferenceRow, b: ReferenceRow) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  return [...rows("score_decile", deciles).sort(byValue), ...rows("utm_source", sources).sort(byValue)];
}
