// The lab's own model of the shop (formulas and numbers: default-params.ts). Each lead uses
// seven RNG streams, each with a fixed sequence of draws, drawn whether or not they are used:
//   attributes  source, medium, campaign, country, device
//   email       cosmetic (email.ts)
//   propensity  Z₁ (intent not explained by attributes)
//   model       Z₂ (model error), latency
//   assignment  bucket, coupon amount
//   outcome     conversion draw, amount Z₃, delay
// so changing, say, the threshold changes who gets a coupon but not any lead's amounts.

import type { ExperimentBucket } from "../events.ts";
import { normal, reusableRng, uniform, uniformInt, type Rng } from "../rng.ts";
import { isoFromMs } from "../time.ts";
import { attributeDrawer } from "./attributes.ts";
import { DEFAULT_PROFILE_PARAMS, type DefaultProfileParams } from "./default-params.ts";
import { emailFor } from "./email.ts";
import { roundScore, type LeadPlan, type LeadPrediction, type PlanContext, type Profile } from "./types.ts";
import { validateDefaultParams } from "./validate.ts";

export function sigmoid(logOdds: number): number {
  return 1 / (1 + Math.exp(-logOdds));
}

/** P(convert) for a lead of true propensity pTrue: p + upliftShare·(1 − p) with a coupon. */
export function conversionProbability(pTrue: number, hasCoupon: boolean, couponUpliftShare: number): number {
  return hasCoupon ? pTrue + couponUpliftShare * (1 - pTrue) : pTrue;
}

/** Exponential with the given mean, truncated to [0, maxMs), by inverting its CDF. */
export function truncatedExponentialMs(u: number, meanMs: number, maxMs: number): number {
  return -meanMs * Math.log(1 - u * (1 - Math.exp(-maxMs / meanMs)));
}

export function makeDefaultProfile(params: DefaultProfileParams = DEFAULT_PROFILE_PARAMS): Profile {
  validateDefaultParams(params);
  const drawAttributes = attributeDrawer(params);
  // One re-seeded generator per stream (reusableRng): each is used up within the lead's planLead
  // (or predict) call that seeds it, before the next lead seeds it again.
  const attributesStream = reusableRng("attributes");
  const propensityStream = reusableRng("propensity");
  const modelStream = reusableRng("model");
  const emailStream = reusableRng("email");
  const assignmentStream = reusableRng("assignment");
  const outcomeStream = reusableRng("outcome");

  /** The attributes, true log-odds and score: the "attributes", "propensity" and first "model" draws. */
  function scoreLead(seed: string, leadId: number) {
    const { attributes, logitEffect } = drawAttributes(attributesStream(seed, leadId));
    const trueLogOdds = params.baseLogit + logitEffect + params.leadNoiseSd * normal(propensityStream(seed, leadId));
    const modelRng = modelStream(seed, leadId);
    const score = roundScore(sigmoid(trueLogOdds + params.scoreLogitOffset + params.modelNoiseSd * normal(modelRng)));
    return { attributes, trueLogOdds, modelRng, score };
  }

  function planLead(ctx: PlanContext, leadId: number, createdAtMs: number): LeadPlan {
    // No local helper such as `rng(stream)`: the TypeScript loader (tsx) gives every function it
    // names a name property at run time, so a helper declared here costs a property definition per lead.
    const { attributes, trueLogOdds, modelRng, score } = scoreLead(ctx.seed, leadId);
    const email = emailFor(emailStream(ctx.seed, leadId), leadId);
    const latencyMs = uniformInt(modelRng, params.modelLatencyMs.min, params.modelLatencyMs.max);
    const label = score >= params.threshold;

    const assignmentRng = assignmentStream(ctx.seed, leadId);
    const bucket: ExperimentBucket = uniform(assignmentRng) < params.controlShare ? "control" : "experiment";
    const couponCents = uniformInt(assignmentRng, params.couponMinCents, params.couponMaxCents);
    const hasCoupon = bucket === "experiment" && !label;

    const pBuy = sigmoid(trueLogOdds + params.buyerLogitDelta);
    const pConvert = conversionProbability(pBuy, hasCoupon, params.couponUpliftShare);
    const outcome = drawOutcome(outcomeStream(ctx.seed, leadId), pConvert, latencyMs);

    const predictedAt = isoFromMs(createdAtMs + latencyMs);
    const plan: LeadPlan = {
      lead: { type: "lead", id: leadId, email, created_at: isoFromMs(createdAtMs), ...attributes },
      prediction: {
        type: "prediction",
        lead_id: leadId,
        experiment_bucket: bucket,
        score,
        label,
        threshold: params.threshold,
        model_version: params.modelVersion,
        predicted_at: predictedAt,
      },
    };
    if (hasCoupon) {
      plan.coupon = { type: "coupon", id: leadId, lead_id: leadId, amount: couponCents, created_at: predictedAt };
    }
    if (outcome.converts) {
      plan.conversion = {
        type: "conversion",
        lead_id: leadId,
        converted_at: isoFromMs(createdAtMs + outcome.delayMs),
        conversion_amount: outcome.amountCents,
      };
    }
    return plan;
  }

  /** The "outcome" stream: conversion draw, amount, delay (all three drawn for every lead). */
  function drawOutcome(outcomeRng: Rng, pConvert: number, latencyMs: number) {
    const converts = uniform(outcomeRng) < pConvert;
    const logNormal = params.conversionMedianCents * Math.exp(params.conversionLogSd * normal(outcomeRng));
    const amountCents = clamp(Math.round(logNormal), params.conversionMinCents, params.conversionMaxCents);
    const afterPredictionMaxMs = params.conversionDelayMaxMs - latencyMs;
    const afterPredictionMs = Math.ceil(
      truncatedExponentialMs(uniform(outcomeRng), params.conversionDelayMeanMs, afterPredictionMaxMs),
    );
    const delayMs = latencyMs + clamp(afterPredictionMs, 1, afterPredictionMaxMs);
    return { converts, amountCents, delayMs };
  }

  function predict(ctx: PlanContext, leadId: number): LeadPrediction {
    const { attributes, score } = scoreLead(ctx.seed, leadId);
    return { utm_source: attributes.utm_source, score, model_version: params.modelVersion };
  }

  return { name: "default", planLead, predict };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
