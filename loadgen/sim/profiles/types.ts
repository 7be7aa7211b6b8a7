// What a profile is: a rule that turns (seed, lead id, arrival time) into everything that
// will ever happen to that lead (a LeadPlan, events.ts). A profile only returns a coupon for
// an experiment-bucket predicted negative, and a conversion with converted_at in
// (created_at, created_at + H] (later only under a scenario's label_delay incident, which
// models real purchases the metric contract counts as negatives); simulate() holds the
// conversion back until its due time.

import type { LeadPlan } from "../events.ts";

export type { LeadPlan } from "../events.ts";

/** The contract's label horizon H: a conversion later than created_at + H is a negative by contract. */
export const LABEL_HORIZON_MS = 30_000;

export type ProfileName = "default" | "aispy";

export interface PlanContext {
  /** The run seed every per-lead RNG is derived from. */
  readonly seed: string;
}

export interface Profile {
  readonly name: ProfileName;
  /** Pure: the same (ctx.seed, leadId, createdAtMs) always gives a deep-equal plan. */
  planLead(ctx: PlanContext, leadId: number, createdAtMs: number): LeadPlan;
  /** The model's inputs and score for a lead, equal to planLead's, without the rest (faster). */
  predict(ctx: PlanContext, leadId: number): LeadPrediction;
}

/** What the model saw and said about a lead; the model's reference counts these. */
export interface LeadPrediction {
  utm_source: string;
  score: number;
  model_version: string;
}

/** Scores are published with this many decimals; the label is computed from the published value. */
export const SCORE_DECIMALS = 6;

export function roundScore(score: number): number {
  const scale = 10 ** SCORE_DECIMALS;
  return Math.round(score * scale) / scale;
}
