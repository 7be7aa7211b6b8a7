// The load generator's simulation core, run in-process, as rows for the reference engine:
// leads (with their conversion, if any), coupons and one prediction message per lead, plus each
// lead's net revenue in dollars by bucket (for standard errors computed from the same sample).
// Used by the aispy tests and by `npm run bench:sql`.

import { makeProfile } from "../../../loadgen/sim/profiles/index.ts";
import { simulate } from "../../../loadgen/sim/simulate.ts";
import type { Dataset, PredictionMessage } from "./dataset.ts";

export type SimBucket = "control" | "experiment";

export interface SimulatedRun {
  data: Dataset;
  lastCreatedMs: number;
  /** Per lead, by bucket: its net revenue in dollars. */
  netDollars: Record<SimBucket, number[]>;
}

export interface SimulationOptions {
  profile: "aispy" | "default";
  seed: string;
  leads: number;
  ratePerSecond: number;
  startMs: number;
}

/** The seed's generator (profile aispy). */
export function generateAispy(opts: Omit<SimulationOptions, "profile">): SimulatedRun {
  return simulateDataset({ ...opts, profile: "aispy" });
}

export function simulateDataset(opts: SimulationOptions): SimulatedRun {
  const data: Dataset = { leads: [], coupons: [], predictions: [] };
  const netDollars: Record<SimBucket, number[]> = { control: [], experiment: [] };
  let lastCreatedMs = opts.startMs;
  const profile = makeProfile(opts.profile);
  const steps = simulate({ seed: opts.seed, profile, startMs: opts.startMs, firstLeadId: 1, ratePerSecond: opts.ratePerSecond, leads: opts.leads });
  for (const step of steps) {
    if (step.kind !== "arrival") continue; // conversions are already in the plan
    const { lead, prediction, coupon, conversion } = step.plan;
    const createdAtMs = Date.parse(lead.created_at);
    lastCreatedMs = Math.max(lastCreatedMs, createdAtMs);
    data.leads.push(
      conversion
        ? { id: lead.id, createdAtMs, convertedAtMs: Date.parse(conversion.converted_at), conversionAmountCents: conversion.conversion_amount }
        : { id: lead.id, createdAtMs },
    );
    const { type: _type, ...message } = prediction;
    data.predictions.push(message satisfies PredictionMessage);
    if (coupon) data.coupons.push({ id: coupon.id, leadId: coupon.lead_id, amountCents: coupon.amount, createdAtMs: Date.parse(coupon.created_at) });
    const netCents = conversion ? conversion.conversion_amount - (coupon?.amount ?? 0) : 0;
    netDollars[prediction.experiment_bucket].push(netCents / 100);
  }
  return { data, lastCreatedMs, netDollars };
}
