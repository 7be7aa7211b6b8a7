import { beforeAll, describe, expect, it } from "vitest";
import { makeProfile, type LeadPlan } from "../../loadgen/sim/profiles/index.ts";
import { simulate } from "../../loadgen/sim/simulate.ts";
import {
  AISPY_ANALYTIC,
  AISPY_MEAN_CONVERSION_AMOUNT_CENTS,
  AISPY_MEAN_COUPON_AMOUNT_CENTS,
  AISPY_MEAN_DELAY_MS,
  type BucketExpectation,
} from "./aispy-analytic.ts";

// A 200k-lead aispy run, compared with the values derived on paper in aispy-analytic.ts.
// Tolerances are 5 standard errors (fixed seed, so the run is the same every time; 5 SE keeps
// the test meaningful should the seed or the stream layout ever change).

const LEADS = 200_000;
const Z = 5;
let plans: LeadPlan[] = [];

beforeAll(() => {
  const profile = makeProfile("aispy");
  const steps = simulate({ seed: "aispy-analytic", profile, startMs: Date.UTC(2026, 0, 1), firstLeadId: 1, ratePerSecond: 80, leads: LEADS });
  for (const step of steps) if (step.kind === "arrival") plans.push(step.plan);
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => x * x)) - mean(xs) ** 2);
/** SD of the discrete uniform distribution on lo..hi: sqrt(((hi − lo + 1)² − 1) / 12). */
const discreteUniformSd = (lo: number, hi: number) => Math.sqrt(((hi - lo + 1) ** 2 - 1) / 12);

function expectNear(actual: number, expected: number, standardError: number) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected} (SE ${standardError})`).toBeLessThan(Z * standardError);
}

describe("profile aispy", () => {
  it("draws scores with mean 0.5", () => {
    const scores = plans.map((p) => p.prediction.score);
    expectNear(mean(scores), 0.5, Math.sqrt(1 / 12 / LEADS));
  });

  it("puts exactly the ids ending in 0 or 1 in the control bucket (20 %)", () => {
    const misplaced = plans.filter((p) => (p.prediction.experiment_bucket === "control") !== [0, 1].includes(p.lead.id % 10));
    expect(misplaced).toEqual([]);
    expect(plans.filter((p) => p.prediction.experiment_bucket === "control").length).toBe(LEADS / 5);
  });

  it("issues coupons worth 2750 cents on average", () => {
    const amounts = plans.flatMap((p) => (p.coupon ? [p.coupon.amount] : []));
    expectNear(mean(amounts), AISPY_MEAN_COUPON_AMOUNT_CENTS, discreteUniformSd(500, 5000) / Math.sqrt(amounts.length));
  });

  it("sells for 13000 cents on average", () => {
    const amounts = plans.flatMap((p) => (p.conversion ? [p.conversion.conversion_amount] : []));
    expectNear(mean(amounts), AISPY_MEAN_CONVERSION_AMOUNT_CENTS, discreteUniformSd(1000, 25_000) / Math.sqrt(amounts.length));
  });

  it("converts 15 s after creation on average", () => {
    const delays = plans.flatMap((p) => (p.conversion ? [Date.parse(p.conversion.converted_at) - Date.parse(p.lead.created_at)] : []));
    expectNear(mean(delays), AISPY_MEAN_DELAY_MS, discreteUniformSd(1, 30_000) / Math.sqrt(delays.length));
  });

  it("converts leads without a coupon with probability equal to their score", () => {
    // Among leads with no coupon, E[converted − score] = 0; per-lead variance ≤ 1/4.
    const residuals = plans.filter((p) => !p.coupon).map((p) => (p.conversion ? 1 : 0) - p.prediction.score);
    expectNear(mean(residuals), 0, sd(residuals) / Math.sqrt(residuals.length));
  });

  describe.each(["control", "experiment"] as const)("in the %s bucket, over 200k leads", (bucket) => {
    const expected: BucketExpectation = AISPY_ANALYTIC[bucket];
    // Counted directly from the plans, independently of any metrics code.
    const count = () => {
      const inBucket = plans.filter((p) => p.prediction.experiment_bucket === bucket);
      let tp = 0, fp = 0, tn = 0, fn = 0;
      const netRevenueDollars: number[] = [];
      for (const { prediction, conversion, coupon } of inBucket) {
        const converted = conversion !== undefined;
        if (prediction.label) converted ? tp++ : fp++;
        else converted ? fn++ : tn++;
        const revenue = converted ? conversion.conversion_amount : 0;
        const couponCost = converted && coupon ? coupon.amount : 0;
        netRevenueDollars.push((revenue - couponCost) / 100);
      }
      return { n: inBucket.length, tp, fp, tn, fn, netRevenueDollars };
    };

    it("matches the derived confusion-matrix shares", () => {
      const { n, tp, fp, tn, fn } = count();
      const shareSe = (q: number) => Math.sqrt((q * (1 - q)) / n);
      expectNear(tp / n, expected.truePositiveShare, shareSe(expected.truePositiveShare));
      expectNear(fp / n, expected.falsePositiveShare, shareSe(expected.falsePositiveShare));
      expectNear(tn / n, expected.trueNegativeShare, shareSe(expected.trueNegativeShare));
      expectNear(fn / n, expected.falseNegativeShare, shareSe(expected.falseNegativeShare));
    });

    it("matches the derived precision, recall, F1 and accuracy", () => {
      const { n, tp, fp, tn, fn } = count();
      const proportionSe = (p: number, trials: number) => Math.sqrt((p * (1 - p)) / trials);
      expectNear(tp / (tp + fp), expected.precision, proportionSe(expected.precision, tp + fp));
      expectNear(tp / (tp + fn), expected.recall, proportionSe(expected.recall, tp + fn));
      expectNear((tp + tn) / n, expected.accuracy, proportionSe(expected.accuracy, n));
      // F1 = 2a/(2a+b+c) over the multinomial shares (a, b, c) = (TP, FP, FN): delta method,
      // Var = (Σ gᵢ² qᵢ − (Σ gᵢ qᵢ)²)/n with g = (2(b+c), −2a, −2a)/(2a+b+c)².
      const a = expected.truePositiveShare, b = expected.falsePositiveShare, c = expected.falseNegativeShare;
      const d2 = (2 * a + b + c) ** 2;
      const g = [(2 * (b + c)) / d2, (-2 * a) / d2, (-2 * a) / d2];
      const q = [a, b, c];
      const variance = (g.reduce((s, gi, i) => s + gi * gi * q[i]!, 0) - g.reduce((s, gi, i) => s + gi * q[i]!, 0) ** 2) / n;
      expectNear((2 * tp) / (2 * tp + fp + fn), expected.f1Score, Math.sqrt(variance));
    });

    it("matches the derived net revenue per lead, counting coupons only when redeemed", () => {
      const { netRevenueDollars } = count();
      expectNear(mean(netRevenueDollars), expected.netRevenuePerLeadDollars, sd(netRevenueDollars) / Math.sqrt(netRevenueDollars.length));
    });
  });

  it("makes the experiment bucket earn more per lead than the control bucket, by the derived margin", () => {
    // On paper: $70.10 − $65.00 = $5.10 per lead (1682.5/24 − 65).
    const perLead = (bucket: "control" | "experiment") =>
      plans
        .filter((p) => p.prediction.experiment_bucket === bucket)
        .map((p) => (p.conversion ? p.conversion.conversion_amount - (p.coupon?.amount ?? 0) : 0) / 100);
    const control = perLead("control");
    const experiment = perLead("experiment");
    const margin = mean(experiment) - mean(control);
    const se = Math.sqrt(sd(experiment) ** 2 / experiment.length + sd(control) ** 2 / control.length);
    expectNear(margin, 1682.5 / 24 - 65, se);
    expect(margin, "coupons pay for themselves in this profile").toBeGreaterThan(0);
  });
});
