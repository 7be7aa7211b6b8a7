// The closed forms of test/unit/aispy-model-quality-analytic.ts, checked by midpoint-rule
// integration of the profile's definition (s ~ U(0,1), y ~ Bernoulli(s) in control).

import { describe, expect, it } from "vitest";
import { deriveRng, uniform } from "../../loadgen/sim/rng.ts";
import { AISPY_CONTROL_MODEL_QUALITY as Q, AISPY_EXPERIMENT_CALIBRATION as X, calibratedEce, decileOutcomeVariance } from "./aispy-model-quality-analytic.ts";

const STEPS = 200_000;
/** ∫₀¹ f(s) ds by the midpoint rule. */
const integrate = (f: (s: number) => number, from = 0, to = 1) => {
  const h = (to - from) / STEPS;
  let total = 0;
  for (let i = 0; i < STEPS; i++) total += f(from + (i + 0.5) * h) * h;
  return total;
};
const f1 = (s: number) => 2 * s; // positives' score density
const f0 = (s: number) => 2 * (1 - s); // negatives'

describe("the aispy control bucket's model-quality values", () => {
  it("has AUC 5/6: P(a positive outscores a negative)", () => {
    expect(integrate((b) => f0(b) * (1 - b * b))).toBeCloseTo(Q.rocAuc, 8);
  });

  it("loses 1/(3B²) of AUC to 100 score bins with ties counted one half", () => {
    // Each bin's share of the positives (∫ 2s = s²) and of the negatives (∫ 2(1 − s) = −(1 − s)²).
    const bins = 100;
    const pos = Array.from({ length: bins }, (_, k) => ((k + 1) / bins) ** 2 - (k / bins) ** 2);
    const neg = Array.from({ length: bins }, (_, k) => (1 - k / bins) ** 2 - (1 - (k + 1) / bins) ** 2);
    let auc = 0;
    for (let k = 0; k < bins; k++) auc += neg[k]! * (pos.slice(k + 1).reduce((a, b) => a + b, 0) + pos[k]! / 2);
    expect(auc).toBeCloseTo(Q.rocAucBinned, 8);
    expect(Q.rocAuc - auc).toBeGreaterThan(3e-5);
  });

  it("has Q₁ = Q₂ = 11/15 for the Mann–Whitney variance", () => {
    expect(integrate((b) => f0(b) * (1 - b * b) ** 2)).toBeCloseTo(Q.aucPairQ, 8);
    expect(integrate((a) => f1(a) * (2 * a - a * a) ** 2)).toBeCloseTo(Q.aucPairQ, 8);
  });

  it("has log loss 1/2 with variance 1/4, and Brier score 1/6 with variance 7/180", () => {
    const loss = (s: number) => -(s * Math.log(s) + (1 - s) * Math.log(1 - s));
    const lossSquared = (s: number) => s * Math.log(s) ** 2 + (1 - s) * Math.log(1 - s) ** 2;
    expect(integrate(loss)).toBeCloseTo(Q.logLoss, 6);
    expect(integrate(lossSquared) - Q.logLoss ** 2).toBeCloseTo(Q.logLossVariance, 5);
    expect(integrate((s) => s * (1 - s))).toBeCloseTo(Q.brierScore, 8);
    expect(integrate((s) => s * (1 - s) ** 4 + (1 - s) * s ** 4) - Q.brierScore ** 2).toBeCloseTo(Q.brierVariance, 8);
  });

  it("splits the outcome variance 1/6 over the ten deciles", () => {
    const parts = Array.from({ length: 10 }, (_, d) => decileOutcomeVariance(d));
    parts.forEach((v, d) => expect(v).toBeCloseTo(integrate((s) => s * (1 - s), d / 10, (d + 1) / 10), 10));
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(1 / 6, 12);
  });

  it("predicts the ECE noise floor of a calibrated model: a seeded simulation of 400 windows agrees", () => {
    const leads = 12_000; // a full control window of the SQL test
    const windows = 400;
    const eces = Array.from({ length: windows }, (_, w) => {
      const rng = deriveRng("ece-floor", "window", w);
      const gaps = new Array<number>(10).fill(0);
      for (let i = 0; i < leads; i++) {
        const s = uniform(rng);
        gaps[Math.min(Math.floor(s * 10), 9)]! += s - (uniform(rng) < s ? 1 : 0);
      }
      return gaps.reduce((a, g) => a + Math.abs(g), 0) / leads;
    });
    const mean = eces.reduce((a, b) => a + b, 0) / windows;
    const sd = Math.sqrt(eces.reduce((a, e) => a + (e - mean) ** 2, 0) / (windows - 1));
    const want = calibratedEce(leads);
    expect(Math.abs(mean - want.mean), `mean ECE ${mean} vs ${want.mean}`).toBeLessThanOrEqual((4 * want.sd) / Math.sqrt(windows));
    expect(sd / want.sd).toBeGreaterThan(0.85);
    expect(sd / want.sd).toBeLessThan(1.15);
    expect(calibratedEce(480).mean).toBeCloseTo(0.0455, 4); // the dashboard card's figure
  });

  it("makes the experiment bucket look under-confident (7/6) although the model is the same", () => {
    const pConvert = (s: number) => (s <= 0.5 ? 2 * s - s * s : s);
    expect(integrate(pConvert) / 0.5).toBeCloseTo(X.calibrationRatio, 8);
    expect(integrate((s) => s * pConvert(s))).toBeCloseTo(X.meanOutcomeTimesScore, 8);
  });
});
