// An independent brute force of ab_test_metrics, written from the contract
// (docs: "ab_test_metrics", monitoring signals §2), not from the SQL: given the raw rows, the
// designed split and an evaluation time, list every visible 5-minute window and compute each
// column from its definition, lead by lead (two-pass variance, not sums of squares).

import type { AbTestRow } from "./ab-test.ts";
import type { Design } from "./experiment-design.ts";
import type { Dataset } from "./dataset.ts";
import { comparePredictions, H_MS, KEPT_MS, R_MS } from "./oracle.ts";
import { readableMessages } from "./oracle-messages.ts";

export const AB_WINDOW_MS = 5 * 60_000;
export const AB_HOP_MS = 10_000;
const Z_95 = 1.96;

interface AbLead {
  bucket: "control" | "experiment";
  maturedAtMs: number;
  converted: boolean;
  netCents: number;
}

export function oracleAbTest(data: Dataset, design: Design, nowMs: number): AbTestRow[] {
  const leads = abLeads(data, nowMs);
  const rows: AbTestRow[] = [];
  // Visible windows: ends E on a 10 s boundary with E <= now < E + R.
  for (let end = Math.floor(nowMs / AB_HOP_MS) * AB_HOP_MS; end + R_MS > nowMs; end -= AB_HOP_MS) {
    const members = leads.filter((l) => end - AB_WINDOW_MS < l.maturedAtMs && l.maturedAtMs <= end);
    if (members.length > 0) rows.push(windowRow(end, members, design));
  }
  return rows.reverse();
}

/** Matured, scored leads of the two buckets still kept at `nowMs`, with x in cents. */
function abLeads(data: Dataset, nowMs: number): AbLead[] {
  const isKept = (atMs: number) => nowMs < atMs + KEPT_MS;
  // A message is kept while both its predicted_at and its received_at are recent.
  const kept = readableMessages(data)
    .filter((m) => isKept(Date.parse(m.message.predicted_at)) && isKept(m.receivedAtMs))
    .map((m) => m.message);
  return data.leads.filter((lead) => isKept(lead.createdAtMs) && lead.createdAtMs + H_MS <= nowMs).flatMap((lead) => {
    const prediction = kept.filter((p) => p.lead_id === lead.id).sort(comparePredictions)[0];
    const bucket = prediction?.experiment_bucket;
    if (bucket !== "control" && bucket !== "experiment") return [];
    const maturedAtMs = lead.createdAtMs + H_MS;
    const converted = lead.convertedAtMs !== undefined && lead.convertedAtMs <= maturedAtMs;
    const coupons = data.coupons.filter((c) => c.leadId === lead.id && isKept(c.createdAtMs)).map((c) => c.amountCents);
    const redeemedCents = converted && coupons.length > 0 ? Math.max(...coupons) : 0;
    const netCents = converted ? (lead.conversionAmountCents ?? 0) - redeemedCents : 0;
    return [{ bucket, maturedAtMs, converted, netCents }];
  });
}

function windowRow(endMs: number, members: readonly AbLead[], design: Design): AbTestRow {
  const control = members.filter((l) => l.bucket === "control");
  const experiment = members.filter((l) => l.bucket === "experiment");
  const nc = control.length;
  const ne = experiment.length;
  const meanDollars = (ls: readonly AbLead[]) => (ls.length === 0 ? null : mean(ls.map((l) => l.netCents)) / 100);
  const bothHaveTwo = nc >= 2 && ne >= 2;
  const uplift = bothHaveTwo ? (meanDollars(experiment) as number) - (meanDollars(control) as number) : null;
  const se = bothHaveTwo ? Math.sqrt(sampleVarianceDollars(experiment) / ne + sampleVarianceDollars(control) / nc) : null;
  const rate = (ls: readonly AbLead[]) => (ls.length === 0 ? null : ls.filter((l) => l.converted).length / ls.length);
  return {
    window_end: new Date(endMs).toISOString(),
    control_leads: nc,
    experiment_leads: ne,
    control_net_revenue_per_lead_dollars: meanDollars(control),
    experiment_net_revenue_per_lead_dollars: meanDollars(experiment),
    uplift_dollars_per_lead: uplift,
    uplift_standard_error: se,
    uplift_ci_low: uplift === null || se === null ? null : uplift - Z_95 * se,
    uplift_ci_high: uplift === null || se === null ? null : uplift + Z_95 * se,
    control_conversion_rate: rate(control),
    experiment_conversion_rate: rate(experiment),
    srm_chi_square: chiSquare({ control: nc, experiment: ne }, design),
    control_observed_share: nc / (nc + ne),
    control_expected_share: design.control ?? null,
  };
}

/** Σ_b (n_b − π_b·n)² / (π_b·n) over both buckets; NULL when a bucket's share is missing. */
export function chiSquare(counts: Record<"control" | "experiment", number>, design: Design): number | null {
  const n = counts.control + counts.experiment;
  let total = 0;
  for (const bucket of ["control", "experiment"] as const) {
    const share = design[bucket];
    if (share === undefined || share * n === 0) return null;
    const expected = share * n;
    total += (counts[bucket] - expected) ** 2 / expected;
  }
  return total;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Two-pass sample variance (n − 1), cents converted to dollars². */
function sampleVarianceDollars(leads: readonly AbLead[]): number {
  const cents = leads.map((l) => l.netCents);
  const m = mean(cents);
  return cents.reduce((a, x) => a + (x - m) ** 2, 0) / (cents.length - 1) / 10_000;
}
