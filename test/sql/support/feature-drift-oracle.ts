// An independent brute force of feature_drift (monitoring contract §2): per visible window
// (by prediction time), model version and feature, count each lead's value and compare the
// shares with the reference by the smoothed PSI, value by value. Written from the contract:
// the same kept leads and dedupe rule as the classifier oracle (oracle.ts), no labels.

import type { Dataset } from "./dataset.ts";
import type { FeatureDriftRow, ReferenceRow } from "./feature-drift.ts";
import { KEPT_MS, R_MS, W_MS, comparePredictions } from "./oracle.ts";
import { readableMessages } from "./oracle-messages.ts";

const SECOND_MS = 1000;
const ALPHA = 0.5;
/** What insert-leads.sql writes when a test lead has no utm_source. */
const DEFAULT_UTM_SOURCE = "test";

interface ScoredLead {
  modelVersion: string;
  predictedAtMs: number;
  values: Record<ReferenceRow["feature"], string>;
}

export function oracleFeatureDrift(data: Dataset, reference: readonly ReferenceRow[], nowMs: number): FeatureDriftRow[] {
  const isKept = (atMs: number) => nowMs < atMs + KEPT_MS;
  const messages = readableMessages(data); // malformed messages are never read
  const leads: ScoredLead[] = data.leads.filter((lead) => isKept(lead.createdAtMs)).flatMap((lead) => {
    const prediction = messages
      .filter((m) => m.message.lead_id === lead.id && isKept(Date.parse(m.message.predicted_at)) && isKept(m.receivedAtMs))
      .map((m) => m.message)
      .sort(comparePredictions)[0];
    if (!prediction) return [];
    const decile = String(Math.min(Math.floor(prediction.score * 10), 9));
    return [{
      modelVersion: prediction.model_version,
      predictedAtMs: Date.parse(prediction.predicted_at),
      values: { score_decile: decile, utm_source: lead.utmSource ?? DEFAULT_UTM_SOURCE },
    }];
  });
  const rows: FeatureDriftRow[] = [];
  for (let end = Math.floor(nowMs / SECOND_MS) * SECOND_MS; end + R_MS > nowMs; end -= SECOND_MS) {
    const members = leads.filter((l) => end - W_MS < l.predictedAtMs && l.predictedAtMs <= end);
    for (const modelVersion of [...new Set(members.map((m) => m.modelVersion))].sort()) {
      for (const feature of ["score_decile", "utm_source"] as const) {
        const values = members.filter((m) => m.modelVersion === modelVersion).map((m) => m.values[feature]);
        const ref = reference.filter((r) => r.modelVersion === modelVersion && r.feature === feature);
        rows.push({ window_end: new Date(end).toISOString(), model_version: modelVersion, feature, ...psiOf(values, ref) });
      }
    }
  }
  return rows;
}

/** PSI of the values seen now against the reference rows of one model version and feature. */
export function psiOf(values: readonly string[], ref: readonly ReferenceRow[]): { num_leads: number; psi: number | null; num_other_leads: number } {
  const known = new Set(ref.map((r) => r.value));
  const numOther = values.filter((v) => !known.has(v)).length;
  if (ref.length === 0) return { num_leads: values.length, psi: null, num_other_leads: numOther };
  const k = ref.length + 1;
  const refTotal = ref.reduce((a, r) => a + r.count, 0);
  const pairs = [...ref.map((r) => ({ ref: r.count, cur: values.filter((v) => v === r.value).length })), { ref: 0, cur: numOther }];
  let psi = 0;
  for (const { ref: refCount, cur } of pairs) {
    const p = (refCount + ALPHA) / (refTotal + ALPHA * k);
    const q = (cur + ALPHA) / (values.length + ALPHA * k);
    psi += (q - p) * Math.log(q / p);
  }
  return { num_leads: values.length, psi, num_other_leads: numOther };
}
