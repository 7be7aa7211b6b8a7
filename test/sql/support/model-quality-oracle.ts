// An independent brute force of model_quality_metrics and its reliability table
// (monitoring contract §2), lead by lead: the same leads as the classifier oracle
// (oracle.ts: matured, one readable prediction each, kept as long), then every signal from
// its definition over the window's scored leads. The AUC compares every (positive,
// negative) pair of leads, never a cumulative histogram as the SQL does.

import type { Dataset } from "./dataset.ts";
import type { ModelQualityRow, ReliabilityRow } from "./model-quality.ts";
import { KEPT_MS, R_MS, W_MS, leadFacts } from "./oracle.ts";
import { readableMessages } from "./oracle-messages.ts";

type LeadFacts = ReturnType<typeof leadFacts>;

const SECOND_MS = 1000;
const CLAMP = 1e-15;

interface ScoredLead {
  bucket: string;
  score: number;
  y: 0 | 1;
}

export const scoreBin = (score: number): number => Math.min(Math.floor(score * 100), 99);
export const scoreDecile = (score: number): number => Math.min(Math.floor(score * 10), 9);

export function oracleModelQuality(data: Dataset, nowMs: number): { metrics: ModelQualityRow[]; reliability: ReliabilityRow[] } {
  const isKept = (atMs: number) => nowMs < atMs + KEPT_MS;
  const messages = readableMessages(data);
  const facts = data.leads.filter((lead) => isKept(lead.createdAtMs)).map((lead) => leadFacts(lead, data, messages, isKept));
  const metrics: ModelQualityRow[] = [];
  const reliability: ReliabilityRow[] = [];
  for (let end = Math.floor(nowMs / SECOND_MS) * SECOND_MS; end + R_MS > nowMs; end -= SECOND_MS) {
    const members = facts.filter((f) => f.prediction !== undefined && end - W_MS < f.maturedAtMs && f.maturedAtMs <= end).map(toScored);
    for (const bucket of [...new Set(members.map((m) => m.bucket))].sort()) {
      const leads = members.filter((m) => m.bucket === bucket);
      const windowEnd = new Date(end).toISOString();
      metrics.push({ window_end: windowEnd, experiment_bucket: bucket, ...signalsOf(leads) });
      reliability.push(...reliabilityOf(leads).map((r) => ({ window_end: windowEnd, experiment_bucket: bucket, ...r })));
    }
  }
  return { metrics, reliability };
}

/** The lab's rule for tiny scores (materialize/README.md): below 1e-100 a score counts as 0. */
export const TINY_SCORE = 1e-100;

function toScored(f: LeadFacts): ScoredLead {
  const score = f.prediction!.score;
  return { bucket: f.bucket, score: score < TINY_SCORE ? 0 : score, y: f.converted ? 1 : 0 };
}

/** Every column of model_quality_metrics for one window's scored leads of one bucket. */
export function signalsOf(leads: readonly ScoredLead[]): Omit<ModelQualityRow, "window_end" | "experiment_bucket"> {
  const n = leads.length;
  const sumScore = sum(leads.map((l) => l.score));
  const positives = leads.filter((l) => l.y === 1);
  const negatives = leads.filter((l) => l.y === 0);
  let rankedPairs = 0;
  for (const p of positives) {
    for (const q of negatives) {
      const [bp, bq] = [scoreBin(p.score), scoreBin(q.score)];
      rankedPairs += bp > bq ? 1 : bp === bq ? 0.5 : 0;
    }
  }
  const logLoss = (l: ScoredLead) => {
    const s = Math.min(Math.max(l.score, CLAMP), 1 - CLAMP);
    return -(l.y * Math.log(s) + (1 - l.y) * Math.log(1 - s));
  };
  const gaps = deciles(leads).map((d) => Math.abs(sum(d.map((l) => l.score)) - sum(d.map((l) => l.y))));
  return {
    num_scored: n,
    num_positive: positives.length,
    mean_score: sumScore / n,
    roc_auc: positives.length === 0 || negatives.length === 0 ? null : rankedPairs / (positives.length * negatives.length),
    log_loss: sum(leads.map(logLoss)) / n,
    brier_score: sum(leads.map((l) => (l.score - l.y) ** 2)) / n,
    expected_calibration_error: sum(gaps) / n,
    calibration_ratio: sumScore === 0 ? null : positives.length / sumScore,
  };
}

function reliabilityOf(leads: readonly ScoredLead[]): Array<Omit<ReliabilityRow, "window_end" | "experiment_bucket">> {
  return deciles(leads).flatMap((d, decile) =>
    d.length === 0
      ? []
      : [{
          score_decile: decile,
          num_scored: d.length,
          num_positive: sum(d.map((l) => l.y)),
          mean_score: sum(d.map((l) => l.score)) / d.length,
          observed_rate: sum(d.map((l) => l.y)) / d.length,
        }],
  );
}

function deciles(leads: readonly ScoredLead[]): ScoredLead[][] {
  return Array.from({ length: 10 }, (_, d) => leads.filter((l) => scoreDecile(l.score) === d));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
