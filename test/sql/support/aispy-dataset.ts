// The seed's generator (profile aispy), run in fast mode in-process, as rows for the reference
// engine: leads, coupons and one prediction message per lead, plus each lead's net revenue in
// dollars by bucket (for standard errors computed from the same sample).

import { makeProfile } from "../../../loadgen/sim/profiles/index.ts";
import { simulate } from "../../../loadgen/sim/simulate.ts";
import type { Dataset, PredictionMessage } from "./dataset.ts";

export type AispyBucket = "control" | "experiment";

export interface AispyRun {
  data: Dataset;
  lastCreatedMs: number;
  /** Per lead, by bucket: its net revenue in dollars. */
  netDollars: Record<AispyBucket, number[]>;
}

export function generateAispy(opts: { seed: string; leads: number; ratePerSecond: number; startMs: number }): AispyRun {
  const data: Dataset = { leads: [], coupons: [], predictions: [] };
  const netDollars: Record<AispyBucket, number[]> = { control: [], experiment: [] };
  let lastCreatedMs = opts.startMs;
  const profile = makeProfile("aispy");
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
