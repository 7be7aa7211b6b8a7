// What a scenario file may say, checked once at start-up. Each incident kind has its own
// params with ranges; unknown kinds, unknown params, out-of-range values and bad durations
// are refused with the incident (1-based, in file order, = its incident_id) and the field.

import { z } from "zod";
import { DEFAULT_PROFILE_PARAMS } from "../sim/profiles/default-params.ts";
import { INCIDENT_KINDS, LATE_CONVERSION_MAX_MS, type IncidentKind } from "../sim/scenario/incidents.ts";

const DURATION_TEXT = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/;
const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3600 } as const;
export const DURATION_ALLOWED = 'a duration: "90s", "5m", "1h" or a number of seconds';

/** "90s" → 90, "5m" → 300, "1h" → 3600, 42 or "42" → 42; anything else → undefined. */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = DURATION_TEXT.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * SECONDS_PER_UNIT[(match[2] ?? "s") as keyof typeof SECONDS_PER_UNIT];
}

const duration = z.unknown().transform((value, ctx) => {
  const seconds = durationSeconds(value);
  if (seconds === undefined) {
    ctx.addIssue({ code: "custom", message: DURATION_ALLOWED });
    return z.NEVER;
  }
  return seconds;
});

function number(min: number, max: number, integer = false) {
  const allowed = `${integer ? "an integer" : "a number"} in [${min}, ${max}]`;
  const base = z.number({ error: allowed }).min(min, allowed).max(max, allowed);
  return integer ? base.int(allowed) : base;
}

const SOURCES = DEFAULT_PROFILE_PARAMS.audience.sources.map((s) => s.utm_source);
const sourceWeights = z
  .strictObject(Object.fromEntries(SOURCES.map((source) => [source, number(0, 1_000_000).optional()])), {
    error: `a map of utm_source to weight; sources: ${SOURCES.join(", ")}`,
  })
  .refine((weights) => Object.keys(weights).length > 0, `at least one utm_source: ${SOURCES.join(", ")}`)
  .refine((weights) => {
    const merged = DEFAULT_PROFILE_PARAMS.audience.sources.map((s) => weights[s.utm_source] ?? s.weight);
    return merged.some((weight) => weight > 0);
  }, "weights that leave at least one source with a positive weight");

/** Each kind's params; the ranges keep every world a valid profile. */
export const PARAMS_SCHEMAS = {
  model_decay: z.strictObject({ model_noise_sd: number(0, 5) }),
  score_shift: z.strictObject({ logit_offset: number(-5, 5) }),
  traffic_shift: z.strictObject({ source_weights: sourceWeights }),
  concept_drift: z.strictObject({ base_logit_delta: number(-5, 5) }),
  coupon_fatigue: z.strictObject({ coupon_uplift_share: number(0, 1) }),
  split_bug: z.strictObject({ control_share: number(0, 1) }),
  prediction_outage: z.strictObject({ drop_share: number(0, 1) }),
  duplicate_predictions: z.strictObject({ copies: number(1, 10, true) }),
  label_delay: z.strictObject({ conversion_delay_mean_ms: number(1, LATE_CONVERSION_MAX_MS) }),
} satisfies Record<IncidentKind, z.ZodType>;

export const incidentSchema = z.strictObject({
  kind: z.enum(INCIDENT_KINDS, { error: `one of ${INCIDENT_KINDS.join(", ")}` }),
  at: duration,
  for: duration.optional().refine((seconds) => seconds === undefined || seconds > 0, "a duration > 0, or absent (until the run ends)"),
  params: z.record(z.string(), z.unknown(), { error: "a map of the kind's parameters" }),
});

export const scenarioFileSchema = z.strictObject({
  name: z.string({ error: "a name" }).regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _ (at most 63)"),
  description: z.string({ error: "a sentence" }).optional(),
  incidents: z.array(z.unknown(), { error: "a list of incidents" }).default([]),
});
