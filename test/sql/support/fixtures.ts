// Named builders for hand-made test rows. Times are offsets from T0 = 2026-01-01T00:00:00Z.

import type { CouponRow, LeadRow, PredictionMessage } from "./dataset.ts";
import { iso } from "./dataset.ts";

export const T0 = Date.parse("2026-01-01T00:00:00Z");

/** T0 plus this many seconds (fractions allowed). */
export const at = (seconds: number): number => T0 + Math.round(seconds * 1000);

export function aLead(id: number, createdAtMs: number, conversion?: { atMs: number; amountCents: number }): LeadRow {
  return conversion
    ? { id, createdAtMs, convertedAtMs: conversion.atMs, conversionAmountCents: conversion.amountCents }
    : { id, createdAtMs };
}

export function aPrediction(
  leadId: number,
  opts: { atMs: number; bucket?: string; score?: number; label?: boolean; modelVersion?: string },
): PredictionMessage {
  const score = opts.score ?? 0.8;
  return {
    lead_id: leadId,
    experiment_bucket: opts.bucket ?? "experiment",
    score,
    label: opts.label ?? score >= 0.5,
    threshold: 0.5,
    model_version: opts.modelVersion ?? "test-1",
    predicted_at: iso(opts.atMs).replace("Z", "+00:00"),
  };
}

export function aCoupon(id: number, leadId: number, amountCents: number, createdAtMs: number): CouponRow {
  return { id, leadId, amountCents, createdAtMs };
}
