import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_PARAMS } from "../../loadgen/sim/profiles/index.ts";
import {
  binomialSe, bruteForceAuc, LEADS, logit, mean, runWith, variance, type LeadRecord,
} from "./scenario-run.ts";

// Each incident kind, measured by brute force over the printed events of a 40,000-lead run
// (an incident over seconds 150..350 of 500) and compared with the same seed's run without
// it. Expected values come from the incident's parameters and the profile's documented
// formulas (default-params.ts), never from the code. Tolerance: 5 standard errors.

const Z = 5;
const steady = await runWith(undefined);
const inside = (leads: LeadRecord[]) => leads.filter((l) => l.inside);
const outside = (leads: LeadRecord[]) => leads.filter((l) => !l.inside);
const isControl = (l: LeadRecord) => l.predictions[0]?.bucket === "control";
const scoreOf = (l: LeadRecord) => l.predictions[0]!.score;
const converted = (l: LeadRecord) => l.convertedAtMs !== undefined;
const share = (leads: LeadRecord[], test: (l: LeadRecord) => boolean) => leads.filter(test).length / leads.length;
const HORIZON_MS = 30_000;

/** The printed lines of the leads created outside the incident are those of the run without it. */
function expectOutsideUntouched(run: { leads: LeadRecord[] }): void {
  const before = new Map(steady.leads.map((l) => [l.id, l]));
  const changed = outside(run.leads).filter((l) => JSON.stringify(l) !== JSON.stringify(before.get(l.id)));
  expect(changed.map((l) => l.id)).toEqual([]);
}

describe("the incident span", () => {
  it("holds about 2/5 of a 500 s run's leads (seconds 150 to 350)", () => {
    expect(steady.leads).toHaveLength(LEADS);
    expect(Math.abs(share(steady.leads, (l) => l.inside) - 0.4)).toBeLessThan(0.02);
  });
});

describe("split_bug", async () => {
  const run = await runWith({ kind: "split_bug", params: { control_share: 0.05 } });

  it("holds out the incident's control share inside its span and the profile's outside", () => {
    const insideShare = share(inside(run.leads), isControl);
    const outsideShare = share(outside(run.leads), isControl);
    expect(Math.abs(insideShare - 0.05)).toBeLessThan(Z * binomialSe(0.05, inside(run.leads).length));
    expect(Math.abs(outsideShare - DEFAULT_PROFILE_PARAMS.controlShare)).toBeLessThan(Z * binomialSe(0.2, outside(run.leads).length));
    expectOutsideUntouched(run);
  });
});

describe("model_decay", async () => {
  const run = await runWith({ kind: "model_decay", params: { model_noise_sd: 2.5 } });
  const steadyById = new Map(steady.leads.map((l) => [l.id, l]));

  it("adds model noise: lead by lead, logit(score) moves by (2.5 − 0.8)·Z with Z standard normal", () => {
    // Same lead, same model draw Z: logit s_decay − logit s_steady = (σ_new − σ_profile)·Z.
    const interior = (s: number) => s > 1e-4 && s < 1 - 1e-4; // scores rounded to 6 decimals
    const standardized = inside(run.leads)
      .map((l) => [scoreOf(l), scoreOf(steadyById.get(l.id)!)] as const)
      .filter(([a, b]) => interior(a) && interior(b))
      .map(([a, b]) => (logit(a) - logit(b)) / (2.5 - DEFAULT_PROFILE_PARAMS.modelNoiseSd));
    expect(Math.abs(mean(standardized))).toBeLessThan(Z / Math.sqrt(standardized.length));
    expect(Math.abs(variance(standardized) - 1)).toBeLessThan(Z * Math.sqrt(2 / standardized.length));
  });

  it("lowers the AUC of score vs conversion inside its span, towards 0.5, and not outside", () => {
    const auc = (leads: LeadRecord[]) => bruteForceAuc(leads.filter(isControl).map((l) => ({ score: scoreOf(l), positive: converted(l) })));
    const decayed = auc(inside(run.leads));
    const healthy = auc(inside(steady.leads));
    expect(decayed).toBeGreaterThan(0.5);
    expect(healthy - decayed).toBeGreaterThan(0.05);
    expect(auc(outside(run.leads))).toBe(auc(outside(steady.leads)));
    expectOutsideUntouched(run);
  });
});

describe("score_shift", async () => {
  const run = await runWith({ kind: "score_shift", params: { logit_offset: 1.0 } });
  const steadyById = new Map(steady.leads.map((l) => [l.id, l]));

  it("shifts every score by the offset in log-odds, so the mean score rises by mean(σ(logit s + 1) − s)", () => {
    const pairs = inside(run.leads).map((l) => [scoreOf(l), scoreOf(steadyById.get(l.id)!)] as const);
    const interior = pairs.filter(([a, b]) => a > 1e-3 && a < 1 - 1e-3 && b > 1e-3 && b < 1 - 1e-3);
    for (const [shifted, plain] of interior) expect(Math.abs(logit(shifted) - logit(plain) - 1.0)).toBeLessThan(1e-2);
    const expectedMeanShift = mean(pairs.map(([, s]) => 1 / (1 + Math.exp(-(logit(s) + 1))) - s));
    expect(mean(pairs.map(([a]) => a)) - mean(pairs.map(([, b]) => b))).toBeCloseTo(expectedMeanShift, 3);
    expect(expectedMeanShift).toBeGreaterThan(0.1);
    expectOutsideUntouched(run);
  });
});

describe("traffic_shift", async () => {
  const run = await runWith({ kind: "traffic_shift", params: { source_weights: { tiktok: 0.6 } } });

  it("changes the utm_source mix to the new weights inside its span, the profile's outside", () => {
    const weights = DEFAULT_PROFILE_PARAMS.audience.sources.map((s) => [s.utm_source, s.weight] as const);
    const shifted = weights.map(([source, w]) => [source, source === "tiktok" ? 0.6 : w] as const);
    const check = (leads: LeadRecord[], table: readonly (readonly [string, number])[]) => {
      const total = table.reduce((a, [, w]) => a + w, 0);
      for (const [source, weight] of table) {
        const expected = weight / total;
        const seen = share(leads, (l) => l.utmSource === source);
        expect(Math.abs(seen - expected), source).toBeLessThan(Z * binomialSe(expected, leads.length));
      }
    };
    check(inside(run.leads), shifted);
    check(outside(run.leads), weights);
    expect(share(inside(run.leads), (l) => l.utmSource === "tiktok")).toBeGreaterThan(0.35); // 0.6 / 1.53
    expectOutsideUntouched(run);
  });
});

describe("concept_drift", async () => {
  const run = await runWith({ kind: "concept_drift", params: { base_logit_delta: -1.0 } });
  const steadyById = new Map(steady.leads.map((l) => [l.id, l]));

  it("leaves every score as it was and lowers conversion: only leads who bought anyway buy", () => {
    for (const l of run.leads) expect(l.predictions).toEqual(steadyById.get(l.id)!.predictions);
    // Same conversion draw U per lead, U < p' with p' < p: buyers under drift ⊆ buyers without it.
    const boughtOnlyUnderDrift = run.leads.filter((l) => converted(l) && !converted(steadyById.get(l.id)!));
    expect(boughtOnlyUnderDrift).toEqual([]);
  });

  it("moves the control conversion rate between r·e^δ and r inside its span (δ = −1)", () => {
    // p' = σ(logit p + δ) lies in (p·e^δ, p) for δ < 0, lead by lead, hence for the mean too.
    const drifted = share(inside(run.leads).filter(isControl), converted);
    const plain = share(inside(steady.leads).filter(isControl), converted);
    expect(drifted).toBeLessThan(plain - 0.05);
    expect(drifted).toBeGreaterThan(plain * Math.exp(-1));
    expectOutsideUntouched(run);
  });
});

describe("coupon_fatigue", async () => {
  const run = await runWith({ kind: "coupon_fatigue", params: { coupon_uplift_share: 0 } });
  const steadyById = new Map(steady.leads.map((l) => [l.id, l]));

  it("removes the coupon effect: coupon holders lose u·(1 − r) of conversions, u = the profile's uplift share", () => {
    // Per coupon holder, same U: steady buys iff U < p + u(1 − p), fatigued iff U < p.
    // D = bought_steady − bought_fatigued has mean u·E[1 − p], and E[1 − p] = 1 − r_fatigued.
    const u = DEFAULT_PROFILE_PARAMS.couponUpliftShare;
    const holders = inside(run.leads).filter((l) => l.coupon);
    const w = holders.map((l) => Number(converted(steadyById.get(l.id)!)) - Number(converted(l)) - u * (1 - Number(converted(l))));
    expect(Math.abs(mean(w))).toBeLessThan(Z * Math.sqrt(variance(w) / w.length));
    expect(share(holders, converted)).toBeLessThan(share(holders.map((l) => steadyById.get(l.id)!), converted) - 0.05);
  });

  it("changes nothing for control leads, who get no coupon", () => {
    for (const l of inside(run.leads).filter(isControl)) expect(l.convertedAtMs).toBe(steadyById.get(l.id)!.convertedAtMs);
    expectOutsideUntouched(run);
  });
});

describe("prediction_outage", async () => {
  const run = await runWith({ kind: "prediction_outage", params: { drop_share: 0.3 } });
  const total = await runWith({ kind: "prediction_outage", params: { drop_share: 1.0 } });

  it("drops the drop share of prediction messages inside its span, none outside, and still writes every lead", () => {
    expect(run.leads).toHaveLength(LEADS);
    const missing = share(inside(run.leads), (l) => l.predictions.length === 0);
    expect(Math.abs(missing - 0.3)).toBeLessThan(Z * binomialSe(0.3, inside(run.leads).length));
    expect(share(outside(run.leads), (l) => l.predictions.length === 0)).toBe(0);
    expect(share(inside(total.leads), (l) => l.predictions.length === 0)).toBe(1);
    expectOutsideUntouched(run);
  });

  it("keeps the leads' coupons and conversions as they were", () => {
    const steadyById = new Map(steady.leads.map((l) => [l.id, l]));
    for (const l of inside(run.leads)) {
      expect([l.coupon, l.convertedAtMs]).toEqual([steadyById.get(l.id)!.coupon, steadyById.get(l.id)!.convertedAtMs]);
    }
  });
});

describe("duplicate_predictions", async () => {
  const run = await runWith({ kind: "duplicate_predictions", params: { copies: 3 } });

  it("prints every prediction `copies` times inside its span and once outside", () => {
    expect(inside(run.leads).every((l) => l.predictions.length === 3)).toBe(true);
    expect(outside(run.leads).every((l) => l.predictions.length === 1)).toBe(true);
    const steadyById = new Map(steady.leads.map((l) => [l.id, l]));
    for (const l of inside(run.leads)) expect(l.predictions).toEqual(Array(3).fill(steadyById.get(l.id)!.predictions[0]));
    expectOutsideUntouched(run);
  });
});

describe("label_delay", async () => {
  const meanDelayMs = 60_000;
  const maxDelayMs = 5 * 60_000; // the documented bound on a late conversion
  const run = await runWith({ kind: "label_delay", params: { conversion_delay_mean_ms: meanDelayMs } });
  const delays = (leads: LeadRecord[]) => leads.filter(converted).map((l) => l.convertedAtMs! - l.createdAtMs);

  it("lands the analytic share of conversions after the 30 s horizon inside its span, none outside", () => {
    // d after the prediction ~ Exp(mean μ) truncated to (0, M − L], L ~ U{5..50} ms latency:
    // P(L + d > H) = (e^{−(H−L)/μ} − e^{−(M−L)/μ}) / (1 − e^{−(M−L)/μ}), averaged over L.
    const latencies = Array.from({ length: 46 }, (_, i) => 5 + i);
    const expected = mean(latencies.map((L) => {
      const tail = (x: number) => Math.exp(-(x - L) / meanDelayMs);
      return (tail(HORIZON_MS) - tail(maxDelayMs)) / (1 - tail(maxDelayMs));
    }));
    const insideDelays = delays(inside(run.leads));
    const late = insideDelays.filter((d) => d > HORIZON_MS).length / insideDelays.length;
    expect(Math.abs(late - expected)).toBeLessThan(Z * binomialSe(expected, insideDelays.length));
    expect(Math.max(...insideDelays)).toBeLessThanOrEqual(maxDelayMs);
    expect(delays(outside(run.leads)).filter((d) => d > HORIZON_MS)).toEqual([]);
    expectOutsideUntouched(run);
  });

  it("changes when buyers buy, not who buys", () => {
    const steadyById = new Map(steady.leads.map((l) => [l.id, l]));
    expect(run.leads.filter((l) => converted(l) !== converted(steadyById.get(l.id)!))).toEqual([]);
  });
});
