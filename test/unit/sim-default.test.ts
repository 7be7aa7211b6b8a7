import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_PARAMS, makeProfile, type LeadPlan, type ProfileSettings } from "../../loadgen/sim/profiles/index.ts";
import { conversionProbability, makeDefaultProfile } from "../../loadgen/sim/profiles/default.ts";
import { simulate } from "../../loadgen/sim/simulate.ts";

// Distribution checks on the lab's `default` profile. Tolerances: 5 standard errors with a
// fixed seed. Expected values come from the documented formulas, computed here by hand.

const Z = 5;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => x * x)) - mean(xs) ** 2);
const share = (plans: LeadPlan[], test: (p: LeadPlan) => boolean) => plans.filter(test).length / plans.length;
const binomialSe = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);

function plansOf(leads: number, settings: ProfileSettings = {}, seed = "default-profile"): LeadPlan[] {
  const plans: LeadPlan[] = [];
  const profile = makeProfile("default", settings);
  const steps = simulate({ seed, profile, startMs: Date.UTC(2026, 0, 1), firstLeadId: 1, ratePerSecond: 80, leads });
  for (const step of steps) if (step.kind === "arrival") plans.push(step.plan);
  return plans;
}

const isControl = (p: LeadPlan) => p.prediction.experiment_bucket === "control";
const converted = (p: LeadPlan) => p.conversion !== undefined;

describe("profile default", () => {
  const plans = plansOf(200_000);

  it("holds out about 20 % of leads as the control bucket", () => {
    expect(Math.abs(share(plans, isControl) - 0.2)).toBeLessThan(Z * binomialSe(0.2, plans.length));
  });

  it("raises the conversion of coupon holders by the uplift share of the non-buyers", () => {
    // Buckets are drawn independently of everything else, so control and experiment predicted
    // negatives have the same mean propensity r. Without coupon they convert at r, with one at
    // r + u(1 − r). Test D = r_e − u − (1 − u)·r_c = 0, Var D = Var r_e + (1 − u)² Var r_c.
    const u = DEFAULT_PROFILE_PARAMS.couponUpliftShare;
    const negatives = plans.filter((p) => !p.prediction.label);
    const control = negatives.filter(isControl);
    const experiment = negatives.filter((p) => !isControl(p));
    expect(experiment.every((p) => p.coupon)).toBe(true);
    const rc = share(control, converted);
    const re = share(experiment, converted);
    const seD = Math.sqrt(binomialSe(re, experiment.length) ** 2 + (1 - u) ** 2 * binomialSe(rc, control.length) ** 2);
    expect(Math.abs(re - u - (1 - u) * rc)).toBeLessThan(Z * seD);
    expect(re - rc).toBeGreaterThan(0.1); // the uplift is visible, not lost in noise
  });

  it("documents the uplift formula p + u·(1 − p)", () => {
    expect(conversionProbability(0.3, true, 0.2)).toBeCloseTo(0.3 + 0.2 * 0.7, 12);
    expect(conversionProbability(0.3, false, 0.2)).toBe(0.3);
    expect(conversionProbability(0, true, 1)).toBe(1);
  });

  it("gives a score that ranks leads: predicted positives convert more often than predicted negatives", () => {
    const control = plans.filter(isControl);
    const positives = control.filter((p) => p.prediction.label);
    const negatives = control.filter((p) => !p.prediction.label);
    expect(share(positives, converted) - share(negatives, converted)).toBeGreaterThan(0.2);
    expect(share(positives, converted)).toBeLessThan(0.9); // and is imperfect
  });

  it("converts within the horizon with a right-skewed delay of the documented mean", () => {
    // converted_at = predicted_at + ceil(d), d ~ Exp(mean τ) truncated to [0, L), L = 30 000 − latency.
    // E[d] = τ − L·e^(−L/τ) / (1 − e^(−L/τ)); ceil adds 1/2 on average.
    const tau = DEFAULT_PROFILE_PARAMS.conversionDelayMeanMs;
    const residuals: number[] = [];
    const delays: number[] = [];
    for (const p of plans.filter(converted)) {
      const createdMs = Date.parse(p.lead.created_at);
      const latencyMs = Date.parse(p.prediction.predicted_at) - createdMs;
      const horizonMs = 30_000 - latencyMs;
      const expectedMs = latencyMs + tau - (horizonMs * Math.exp(-horizonMs / tau)) / (1 - Math.exp(-horizonMs / tau)) + 0.5;
      const delayMs = Date.parse(p.conversion!.converted_at) - createdMs;
      delays.push(delayMs);
      residuals.push(delayMs - expectedMs);
    }
    expect(Math.abs(mean(residuals))).toBeLessThan((Z * sd(residuals)) / Math.sqrt(residuals.length));
    delays.sort((a, b) => a - b);
    expect(delays[Math.floor(delays.length / 2)]!).toBeLessThan(mean(delays)); // median < mean: right skew
    expect(delays.at(-1)!).toBeLessThanOrEqual(30_000);
  });

  it("sells for the documented median amount", () => {
    // round(median·e^(σZ)) is below the median exactly when Z < 0 (up to rounding): P = 1/2.
    const amounts = plans.filter(converted).map((p) => p.conversion!.conversion_amount);
    const below = amounts.filter((a) => a < DEFAULT_PROFILE_PARAMS.conversionMedianCents).length / amounts.length;
    expect(Math.abs(below - 0.5)).toBeLessThan(Z * binomialSe(0.5, amounts.length));
  });

  it("draws utm sources in proportion to the audience weights", () => {
    for (const { utm_source, weight } of DEFAULT_PROFILE_PARAMS.audience.sources) {
      expect(Math.abs(share(plans, (p) => p.lead.utm_source === utm_source) - weight)).toBeLessThan(Z * binomialSe(weight, plans.length));
    }
  });
});

describe("profile default settings", () => {
  it("make a noiseless model calibrated: the score is then the probability of converting", () => {
    const plans: LeadPlan[] = [];
    const profile = makeDefaultProfile({ ...DEFAULT_PROFILE_PARAMS, modelNoiseSd: 0, controlShare: 1 });
    for (const step of simulate({ seed: "calibrated", profile, startMs: 0, firstLeadId: 1, ratePerSecond: 80, leads: 50_000 })) {
      if (step.kind === "arrival") plans.push(step.plan);
    }
    const residuals = plans.map((p) => (converted(p) ? 1 : 0) - p.prediction.score);
    expect(Math.abs(mean(residuals))).toBeLessThan((Z * sd(residuals)) / Math.sqrt(residuals.length));
  });

  it("give every coupon holder a conversion when the uplift share is 1", () => {
    const holders = plansOf(5000, { couponUpliftShare: 1 }).filter((p) => p.coupon);
    expect(holders.length).toBeGreaterThan(1000);
    expect(holders.every(converted)).toBe(true);
  });

  it("send everyone to control, with no coupons, when controlShare is 1", () => {
    const plans = plansOf(2000, { controlShare: 1 });
    expect(plans.every(isControl)).toBe(true);
    expect(plans.some((p) => p.coupon)).toBe(false);
  });

  it("label everyone positive at threshold 0, and use the given coupon range", () => {
    expect(plansOf(2000, { threshold: 0 }).every((p) => p.prediction.label && p.prediction.threshold === 0)).toBe(true);
    const amounts = plansOf(2000, { couponMinCents: 1000, couponMaxCents: 1000 }).flatMap((p) => (p.coupon ? [p.coupon.amount] : []));
    expect(new Set(amounts)).toEqual(new Set([1000]));
  });

  it("leave the other streams alone: a different threshold changes no lead's amounts or times", () => {
    const a = plansOf(500, { threshold: 0.5 });
    const b = plansOf(500, { threshold: 0.7 });
    expect(b.map((p) => p.lead)).toEqual(a.map((p) => p.lead));
    expect(b.map((p) => p.prediction.score)).toEqual(a.map((p) => p.prediction.score));
    const bothConverted = a.filter((p, i) => p.conversion && b[i]!.conversion);
    expect(bothConverted.length).toBeGreaterThan(50);
    for (const p of bothConverted) expect(b[p.lead.id - 1]!.conversion).toEqual(p.conversion);
  });

  it.each([
    [{ controlShare: 1.5 }, "controlShare must be a number in [0, 1], got 1.5"],
    [{ threshold: -0.1 }, "threshold must be a number in [0, 1], got -0.1"],
    [{ couponUpliftShare: Number.NaN }, "couponUpliftShare must be a number in [0, 1], got NaN"],
    [{ couponMinCents: 2.5 }, "couponMinCents must be an integer in [1, 10000000], got 2.5"],
    [{ couponMinCents: 600, couponMaxCents: 500 }, "couponMaxCents must be an integer in [600, 10000000], got 500"],
  ])("refuse %j with a message naming the field, the value and the range", (settings, message) => {
    expect(() => makeProfile("default", settings)).toThrow(message);
  });

  it("refuse an audience value that has no effect on the propensity", () => {
    const devices = [...DEFAULT_PROFILE_PARAMS.audience.devices, ["smart_tv", 0.01] as const];
    const params = { ...DEFAULT_PROFILE_PARAMS, audience: { ...DEFAULT_PROFILE_PARAMS.audience, devices } };
    expect(() => makeDefaultProfile(params)).toThrow("logitEffects.device_type[smart_tv] must be a number in [-10, 10], got undefined");
  });
});

describe("makeProfile", () => {
  it("accepts for aispy only the seed's own values of the shared settings", () => {
    expect(makeProfile("aispy", { controlShare: 0.2, threshold: 0.5, couponMinCents: 500, couponMaxCents: 5000 }).name).toBe("aispy");
    expect(makeProfile("aispy", { controlShare: undefined }).name).toBe("aispy");
    expect(() => makeProfile("aispy", { controlShare: 0.3 })).toThrow("profile aispy has controlShare fixed at 0.2, got 0.3");
    expect(() => makeProfile("aispy", { couponUpliftShare: 0.1 })).toThrow("profile aispy has no setting couponUpliftShare");
  });

  it("refuses an unknown profile name", () => {
    expect(() => makeProfile("fancy" as never)).toThrow('profile must be one of default, aispy, got "fancy"');
  });
});
