// The seed's generator (profile aispy), run in fast mode in-process, through the SQL on the
// reference engine: the metrics land on the long-run values derived on paper in
// test/unit/aispy-analytic.ts.
//
// 100,000 leads arrive at 2,000/s (50 s of simulated time). At the evaluation time every
// window that holds any of them is visible, and each lead is in exactly 30 of them, so sums
// over the windows are 30 times the lead-level totals: their ratios are the long-run values
// measured on all 100,000 leads (20,000 in control). Tolerance: 4 standard errors of each
// estimate (binomial for shares; the sample standard deviation for dollars per lead).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { AISPY_ANALYTIC, type BucketExpectation } from "../unit/aispy-analytic.ts";
import { generateAispy, type SimBucket, type SimulatedRun } from "./support/simulated-dataset.ts";
import { insertDataset } from "./support/dataset.ts";
import { metricsAt, type MetricsRow } from "./support/metrics.ts";
import { referenceDatabase, type ReferenceDatabase } from "./support/reference-db.ts";

const pg = await usePostgres();

const LEADS = 100_000;
const RATE_PER_SECOND = 2_000;
const START_MS = Date.UTC(2026, 0, 1);
const WINDOWS_PER_LEAD = 30;
const STANDARD_ERRORS = 4;

type Bucket = SimBucket;

interface Totals {
  leads: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  converted: number;
  netDollars: number;
}

function totalsOf(rows: readonly MetricsRow[], bucket: string): Totals {
  const mine = rows.filter((r) => r.experiment_bucket === bucket);
  const sum = (pick: (r: MetricsRow) => number) => mine.reduce((total, r) => total + pick(r), 0);
  return {
    leads: sum((r) => r.num_leads),
    tp: sum((r) => r.true_positives),
    fp: sum((r) => r.false_positives),
    tn: sum((r) => r.true_negatives),
    fn: sum((r) => r.false_negatives),
    converted: sum((r) => r.num_converted),
    netDollars: sum((r) => Number(r.net_revenue_dollars)),
  };
}

describe.skipIf(!pg.available)("the aispy profile through the SQL (reference engine)", () => {
  let db: ReferenceDatabase;
  let generated: SimulatedRun;
  let rows: MetricsRow[];
  beforeAll(async () => {
    if (!pg.available) return;
    generated = generateAispy({ seed: "sql-aispy", leads: LEADS, ratePerSecond: RATE_PER_SECOND, startMs: START_MS });
    db = await referenceDatabase(pg.adminUrl);
    await insertDataset(db.client, generated.data);
    // Every lead's last window ends before lastCreated + 60 s; its first is still within
    // the 10-minute retention then.
    rows = await metricsAt(db.client, generated.lastCreatedMs + 61_000);
  }, 180_000);
  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  it("counts every lead in exactly 30 windows, and no lead in bucket unknown", () => {
    expect(rows.some((r) => r.experiment_bucket === "unknown")).toBe(false);
    expect(totalsOf(rows, "control").leads).toBe(WINDOWS_PER_LEAD * 20_000); // ids 1..100000: 2 in 10 are control
    expect(totalsOf(rows, "experiment").leads).toBe(WINDOWS_PER_LEAD * 80_000);
  });

  for (const bucket of ["control", "experiment"] as const) {
    it(`gives the ${bucket} bucket its analytic precision, recall, F1, accuracy and conversion rate`, () => {
      const t = totalsOf(rows, bucket);
      const want: BucketExpectation = AISPY_ANALYTIC[bucket];
      const n = t.leads / WINDOWS_PER_LEAD;
      const expectShare = (actual: number, p: number, trials: number, what: string) => {
        const tolerance = STANDARD_ERRORS * Math.sqrt((p * (1 - p)) / trials);
        expect(Math.abs(actual - p), `${bucket} ${what}: ${actual.toFixed(4)} vs ${p.toFixed(4)} ± ${tolerance.toFixed(4)}`).toBeLessThanOrEqual(tolerance);
      };
      const predictedPositives = (t.tp + t.fp) / WINDOWS_PER_LEAD;
      const actualPositives = (t.tp + t.fn) / WINDOWS_PER_LEAD;
      expectShare(t.tp / (t.tp + t.fp), want.precision, predictedPositives, "precision");
      expectShare(t.tp / (t.tp + t.fn), want.recall, actualPositives, "recall");
      expectShare((t.tp + t.tn) / t.leads, want.accuracy, n, "accuracy");
      expectShare(t.converted / t.leads, want.conversionRate, n, "conversion rate");
      expectShare(t.fn / t.leads, want.falseNegativeShare, n, "false-negative share");
      // F1 = 2TP / (2TP + FP + FN): its error is dominated by precision's and recall's.
      const f1 = (2 * t.tp) / (2 * t.tp + t.fp + t.fn);
      expect(Math.abs(f1 - want.f1Score)).toBeLessThanOrEqual(STANDARD_ERRORS * Math.sqrt((want.f1Score * (1 - want.f1Score)) / Math.min(predictedPositives, actualPositives)));
    });

    it(`gives the ${bucket} bucket its analytic net revenue per lead`, () => {
      const t = totalsOf(rows, bucket);
      const perLead = generated.netDollars[bucket];
      const mean = perLead.reduce((a, b) => a + b, 0) / perLead.length;
      const sd = Math.sqrt(perLead.reduce((a, b) => a + (b - mean) ** 2, 0) / (perLead.length - 1));
      const tolerance = (STANDARD_ERRORS * sd) / Math.sqrt(perLead.length);
      const measured = t.netDollars / t.leads;
      const want = AISPY_ANALYTIC[bucket].netRevenuePerLeadDollars;
      expect(Math.abs(measured - want), `${bucket}: $${measured.toFixed(3)} vs $${want.toFixed(3)} ± ${tolerance.toFixed(3)}`).toBeLessThanOrEqual(tolerance);
    });
  }

  it("shows the coupons paying off per lead, as the seed's experiment intended", () => {
    const perLead = (bucket: Bucket) => totalsOf(rows, bucket).netDollars / totalsOf(rows, bucket).leads;
    // Analytic: $70.10 per experiment lead against $65.00 per control lead.
    expect(perLead("experiment")).toBeGreaterThan(perLead("control"));
  });
});
