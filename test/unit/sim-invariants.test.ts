import { describe, expect, it } from "vitest";
import { makeProfile, type LeadPlan } from "../../loadgen/sim/profiles/index.ts";
import { simulate, type SimStep } from "../../loadgen/sim/simulate.ts";

// Each check collects the ids of the leads that break it (the first few are enough to debug),
// and expects none: one expect per lead would make a 50k-lead run take half a minute.

const START_MS = Date.UTC(2026, 0, 1);
const LEADS = 50_000;
const HORIZON_MS = 30_000; // the contract's label horizon H
const toMs = (iso: string) => Date.parse(iso);
const EMAIL = /^[a-z0-9]+\.[a-z0-9]+\.(\d+)@example\.(?:com|net|org)$/;
const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

// Field lists typed out from the contract (docs/metrics.md) and loadgen/sim/events.ts.
const PREDICTION_FIELDS = "experiment_bucket,label,lead_id,model_version,predicted_at,score,threshold,type";
const LEAD_FIELDS = "country_code,created_at,device_type,email,id,type,utm_campaign,utm_medium,utm_source";
const COUPON_FIELDS = "amount,created_at,id,lead_id,type";
const CONVERSION_FIELDS = "conversion_amount,converted_at,lead_id,type";
const fieldsOf = (event: object) => Object.keys(event).sort().join(",");

function offenders(plans: LeadPlan[], breaks: (plan: LeadPlan) => boolean): number[] {
  return plans.filter(breaks).slice(0, 5).map((p) => p.lead.id);
}

const cases = [
  { name: "aispy", labelOf: (score: number) => score > 0.5, amountRange: [1000, 25_000], version: "aispy-1" },
  { name: "default", labelOf: (score: number) => score >= 0.5, amountRange: [500, 50_000], version: "lab-logit-1" },
] as const;

describe.each(cases)("a long run of profile $name", ({ name, labelOf, amountRange, version }) => {
  const profile = makeProfile(name);
  const steps: SimStep[] = [
    ...simulate({ seed: `invariants-${name}`, profile, startMs: START_MS, firstLeadId: 101, ratePerSecond: 500, leads: LEADS }),
  ];
  const plans = steps.flatMap((s) => (s.kind === "arrival" ? [s.plan] : []));
  const inRange = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;

  it("numbers leads consecutively from the first id", () => {
    expect(plans.map((p) => p.lead.id)).toEqual(Array.from({ length: LEADS }, (_, i) => 101 + i));
  });

  it("never goes back in time, and stamps each arrival with its lead's creation time", () => {
    const backwards = steps.filter((step, i) => i > 0 && step.atMs < steps[i - 1]!.atMs);
    expect(backwards).toEqual([]);
    const misstamped = steps.filter((s) => s.kind === "arrival" && s.atMs !== toMs(s.plan.lead.created_at));
    expect(misstamped).toEqual([]);
  });

  it("writes every event with exactly its contract fields, and JSON keeps it intact", () => {
    expect(offenders(plans, (p) => fieldsOf(p.prediction) !== PREDICTION_FIELDS || fieldsOf(p.lead) !== LEAD_FIELDS)).toEqual([]);
    expect(offenders(plans, (p) => p.coupon !== undefined && fieldsOf(p.coupon) !== COUPON_FIELDS)).toEqual([]);
    expect(offenders(plans, (p) => p.conversion !== undefined && fieldsOf(p.conversion) !== CONVERSION_FIELDS)).toEqual([]);
    expect(JSON.parse(JSON.stringify(plans))).toEqual(plans);
  });

  it("scores every lead with a finite score in [0, 1] of at most six decimals, and labels it by the threshold", () => {
    const badScore = (s: number) => !Number.isFinite(s) || s < 0 || s > 1 || Math.abs(s * 1e6 - Math.round(s * 1e6)) > 1e-6;
    expect(offenders(plans, (p) => badScore(p.prediction.score))).toEqual([]);
    expect(offenders(plans, (p) => p.prediction.label !== labelOf(p.prediction.score))).toEqual([]);
    expect(offenders(plans, (p) => p.prediction.threshold !== 0.5 || p.prediction.model_version !== version)).toEqual([]);
    expect(new Set(plans.map((p) => p.prediction.experiment_bucket))).toEqual(new Set(["control", "experiment"]));
  });

  it("predicts 5 to 50 ms after creation, with ISO-8601 UTC timestamps", () => {
    expect(offenders(plans, (p) => !ISO_MS_UTC.test(p.lead.created_at) || !ISO_MS_UTC.test(p.prediction.predicted_at))).toEqual([]);
    const latencyMs = (p: LeadPlan) => toMs(p.prediction.predicted_at) - toMs(p.lead.created_at);
    expect(offenders(plans, (p) => !inRange(latencyMs(p), 5, 50))).toEqual([]);
  });

  it("offers a coupon exactly to the predicted negatives of the experiment bucket", () => {
    const eligible = (p: LeadPlan) => p.prediction.experiment_bucket === "experiment" && !p.prediction.label;
    expect(offenders(plans, (p) => (p.coupon !== undefined) !== eligible(p))).toEqual([]);
    const withCoupon = plans.filter((p) => p.coupon);
    expect(withCoupon.length).toBeGreaterThan(LEADS / 10);
    expect(offenders(withCoupon, (p) => p.coupon!.id !== p.lead.id || p.coupon!.lead_id !== p.lead.id)).toEqual([]);
    expect(offenders(withCoupon, (p) => !inRange(p.coupon!.amount, 500, 5000))).toEqual([]);
    expect(offenders(withCoupon, (p) => p.coupon!.created_at !== p.prediction.predicted_at)).toEqual([]);
  });

  it("converts strictly after creation and at most 30 s later, for a whole number of cents", () => {
    const converted = plans.filter((p) => p.conversion);
    expect(converted.length).toBeGreaterThan(LEADS / 10);
    const delayMs = (p: LeadPlan) => toMs(p.conversion!.converted_at) - toMs(p.lead.created_at);
    expect(offenders(converted, (p) => !ISO_MS_UTC.test(p.conversion!.converted_at))).toEqual([]);
    expect(offenders(converted, (p) => !inRange(delayMs(p), 1, HORIZON_MS))).toEqual([]);
    expect(offenders(converted, (p) => !inRange(p.conversion!.conversion_amount, amountRange[0], amountRange[1]))).toEqual([]);
  });

  it("gives every lead a unique, valid-looking email that contains its id", () => {
    expect(new Set(plans.map((p) => p.lead.email)).size).toBe(LEADS);
    const looksValid = (p: LeadPlan) => EMAIL.exec(p.lead.email)?.[1] === String(p.lead.id);
    expect(offenders(plans, (p) => !looksValid(p))).toEqual([]);
  });

  it("fills every slicing attribute", () => {
    const empty = (p: LeadPlan) => [p.lead.utm_source, p.lead.utm_medium, p.lead.utm_campaign, p.lead.device_type].some((v) => v === "");
    expect(offenders(plans, empty)).toEqual([]);
    expect(offenders(plans, (p) => !/^[A-Z]{2}$/.test(p.lead.country_code))).toEqual([]);
  });
});
