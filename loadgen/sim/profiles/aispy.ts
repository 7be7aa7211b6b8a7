// The seed's generator, reproduced exactly (docs/metrics.md, "profile aispy"):
//   score ~ U(0,1); label = score > 0.5; control iff lead id mod 10 ∈ {0, 1};
//   coupon for experiment-bucket predicted negatives, amount uniform integer 500..5000 cents;
//   converts if U₁ < score, or, with a coupon, if a second independent U₂ < score;
//   conversion amount uniform integer 1000..25000 cents; delay U(0, 30 s].
// Its long-run metrics are derived on paper in test/unit/aispy-analytic.ts.
//
// The seed's leads had no slicing attributes; aispy borrows the default audience for them
// (cosmetic: they influence nothing). Streams per lead, each with a fixed sequence of draws:
//   attributes (as default), email, score (U, latency), coupon (amount),
//   outcome (U₁, U₂, amount, delay).

import type { ExperimentBucket, LeadEvent, PredictionEvent } from "../events.ts";
import { deriveRng, uniform, uniformInt } from "../rng.ts";
import { isoFromMs } from "../time.ts";
import { attributeDrawer } from "./attributes.ts";
import { DEFAULT_PROFILE_PARAMS } from "./default-params.ts";
import { emailFor } from "./email.ts";
import { LABEL_HORIZON_MS, roundScore, type LeadPlan, type LeadPrediction, type Profile } from "./types.ts";

/** The seed's fixed numbers. The keys shared with the default profile's settings use the same names. */
export const AISPY_PARAMS = Object.freeze({
  modelVersion: "aispy-1",
  threshold: 0.5,
  controlShare: 0.2, // as lead id mod 10 ∈ {0, 1}
  couponMinCents: 500,
  couponMaxCents: 5000,
  conversionMinCents: 1000,
  conversionMaxCents: 25_000,
  modelLatencyMs: Object.freeze({ min: 5, max: 50 }),
});

const drawAttributes = attributeDrawer(DEFAULT_PROFILE_PARAMS);

function bucketOf(leadId: number): ExperimentBucket {
  const lastDigit = leadId % 10;
  return lastDigit === 0 || lastDigit === 1 ? "control" : "experiment";
}

function planLead(ctx: { seed: string }, leadId: number, createdAtMs: number): LeadPlan {
  const p = AISPY_PARAMS;
  const { attributes } = drawAttributes(deriveRng(ctx.seed, "attributes", leadId));
  const email = emailFor(deriveRng(ctx.seed, "email", leadId), leadId);

  const scoreRng = deriveRng(ctx.seed, "score", leadId);
  const score = roundScore(uniform(scoreRng));
  const latencyMs = uniformInt(scoreRng, p.modelLatencyMs.min, p.modelLatencyMs.max);
  const label = score > p.threshold;
  const bucket = bucketOf(leadId);
  const hasCoupon = bucket === "experiment" && !label;
  const couponCents = uniformInt(deriveRng(ctx.seed, "coupon", leadId), p.couponMinCents, p.couponMaxCents);

  const outcomeRng = deriveRng(ctx.seed, "outcome", leadId);
  const firstTry = uniform(outcomeRng) < score;
  const secondTry = uniform(outcomeRng) < score;
  const converts = firstTry || (hasCoupon && secondTry);
  const amountCents = uniformInt(outcomeRng, p.conversionMinCents, p.conversionMaxCents);
  const delayMs = uniformInt(outcomeRng, 1, LABEL_HORIZON_MS); // U(0, 30 s] at millisecond resolution

  const predictedAt = isoFromMs(createdAtMs + latencyMs);
  const lead: LeadEvent = { type: "lead", id: leadId, email, created_at: isoFromMs(createdAtMs), ...attributes };
  const prediction: PredictionEvent = {
    type: "prediction",
    lead_id: leadId,
    experiment_bucket: bucket,
    score,
    label,
    threshold: p.threshold,
    model_version: p.modelVersion,
    predicted_at: predictedAt,
  };
  const plan: LeadPlan = { lead, prediction };
  if (hasCoupon) {
    plan.coupon = { type: "coupon", id: leadId, lead_id: leadId, amount: couponCents, created_at: predictedAt };
  }
  if (converts) {
    plan.conversion = {
      type: "conversion",
      lead_id: leadId,
      converted_at: isoFromMs(createdAtMs + delayMs),
      conversion_amount: amountCents,
    };
  }
  return plan;
}

function predict(ctx: { seed: string }, leadId: number): LeadPrediction {
  const { attributes } = drawAttributes(deriveRng(ctx.seed, "attributes", leadId));
  const score = roundScore(uniform(deriveRng(ctx.seed, "score", leadId)));
  return { utm_source: attributes.utm_source, score, model_version: AISPY_PARAMS.modelVersion };
}

export const aispyProfile: Profile = Object.freeze({ name: "aispy", planLead, predict });
