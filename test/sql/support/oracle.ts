// An independent brute force of the metric contract (docs/metrics.md): given the raw
// rows and an evaluation time, list every window a reader would see and compute each column
// from its definition, window by window. Written from the contract, not from the SQL.

import type { CouponRow, Dataset, LeadRow, PredictionMessage } from "./dataset.ts";
import { dollarsText, type MetricsRow } from "./metrics.ts";
import { readableMessages, type ReadMessage } from "./oracle-messages.ts";

const SECOND_MS = 1000;
/** Label horizon H, window width W, retention R. */
export const H_MS = 30 * SECOND_MS;
export const W_MS = 30 * SECOND_MS;
export const R_MS = 10 * 60 * SECOND_MS;
/** "Nothing older than K is kept anywhere": K = 16 min, the widest need of any view (a
 *  conversion counted by pipeline_health up to 5 min after its lead, in a 1-minute window
 *  shown for R). classifier_metrics alone needs R + W + H = 11 min; keeping inputs longer
 *  changes none of its windows. */
export const KEPT_MS = 16 * 60 * SECOND_MS;

interface LeadFacts {
  bucket: string;
  prediction: PredictionMessage | undefined;
  converted: boolean;
  revenueCents: number;
  couponCostCents: number;
  maturedAtMs: number;
}

export function oracleMetrics(data: Dataset, nowMs: number): MetricsRow[] {
  const isKept = (atMs: number) => nowMs < atMs + KEPT_MS;
  const messages = readableMessages(data);
  const facts = data.leads
    .filter((lead) => isKept(lead.createdAtMs))
    .map((lead) => leadFacts(lead, data, messages, isKept));

  const rows: MetricsRow[] = [];
  // Visible windows: whole-second ends E with E <= now < E + R.
  for (let end = Math.floor(nowMs / SECOND_MS) * SECOND_MS; end + R_MS > nowMs; end -= SECOND_MS) {
    const members = facts.filter((f) => end - W_MS < f.maturedAtMs && f.maturedAtMs <= end);
    const buckets = [...new Set(members.map((f) => f.bucket))].sort();
    for (const bucket of buckets) rows.push(windowRow(end, bucket, members.filter((f) => f.bucket === bucket)));
  }
  return rows;
}

export function leadFacts(lead: LeadRow, data: Dataset, messages: readonly ReadMessage[], isKept: (atMs: number) => boolean): LeadFacts {
  const prediction = messages
    .filter((m) => m.message.lead_id === lead.id && isKept(Date.parse(m.message.predicted_at)) && isKept(m.receivedAtMs))
    .map((m) => m.message)
    .sort(comparePredictions)[0];
  const maturedAtMs = lead.createdAtMs + H_MS;
  const converted = lead.convertedAtMs !== undefined && lead.convertedAtMs <= maturedAtMs;
  const coupons = data.coupons.filter((c: CouponRow) => c.leadId === lead.id && isKept(c.createdAtMs));
  // One purchase redeems at most one coupon: the largest the lead holds.
  const redeemable = coupons.length === 0 ? 0 : Math.max(...coupons.map((c) => c.amountCents));
  return {
    bucket: prediction?.experiment_bucket ?? "unknown",
    prediction,
    converted,
    revenueCents: converted ? (lead.conversionAmountCents ?? 0) : 0,
    couponCostCents: converted ? redeemable : 0,
    maturedAtMs,
  };
}

/** The dedupe rule: earliest predicted_at, then score, label, threshold, model_version, bucket. */
export function comparePredictions(a: PredictionMessage, b: PredictionMessage): number {
  const keys = (p: PredictionMessage) =>
    [Date.parse(p.predicted_at), p.score, Number(p.label), p.threshold, p.model_version, p.experiment_bucket] as const;
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return (ka[i] as number | string) < (kb[i] as number | string) ? -1 : 1;
  }
  return 0;
}

function windowRow(endMs: number, bucket: string, leads: readonly LeadFacts[]): MetricsRow {
  const scored = leads.filter((f) => f.prediction !== undefined);
  const count = (keep: (f: LeadFacts) => boolean, from: readonly LeadFacts[] = scored) => from.filter(keep).length;
  const tp = count((f) => f.prediction!.label && f.converted);
  const fp = count((f) => f.prediction!.label && !f.converted);
  const tn = count((f) => !f.prediction!.label && !f.converted);
  const fn = count((f) => !f.prediction!.label && f.converted);
  const converted = count((f) => f.converted, leads);
  const revenueCents = sum(leads.map((f) => f.revenueCents));
  const couponCents = sum(leads.map((f) => f.couponCostCents));
  const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : numerator / denominator);
  return {
    window_end: new Date(endMs).toISOString(),
    experiment_bucket: bucket,
    num_leads: leads.length,
    num_scored: scored.length,
    true_positives: tp,
    false_positives: fp,
    true_negatives: tn,
    false_negatives: fn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1_score: ratio(2 * tp, 2 * tp + fp + fn),
    accuracy: ratio(tp + tn, scored.length),
    conversion_rate: ratio(converted, leads.length),
    revenue_dollars: dollarsText(revenueCents),
    coupon_cost_dollars: dollarsText(couponCents),
    net_revenue_dollars: dollarsText(revenueCents - couponCents),
    net_revenue_per_lead_dollars: ratio(revenueCents - couponCents, 100 * leads.length),
    num_converted: converted,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
