// Checks a parameter object once, when a profile is built, so a bad setting fails at start-up
// with a message that names the field, the value and the allowed range.

import type { DefaultProfileParams } from "./default-params.ts";

const MAX_CENTS = 10_000_000; // $100,000: anything larger is a typo, not a coupon

export function checkNumber(field: string, value: unknown, min: number, max: number, integer = false): void {
  const ok = typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;
  if (!ok || (integer && !Number.isInteger(value))) {
    const kind = integer ? "an integer" : "a number";
    throw new Error(`${field} must be ${kind} in [${min}, ${max}], got ${describeValue(value)}`);
  }
}

export function validateDefaultParams(params: DefaultProfileParams): void {
  if (typeof params.modelVersion !== "string" || params.modelVersion.length === 0) {
    throw new Error(`modelVersion must be a non-empty string, got ${JSON.stringify(params.modelVersion)}`);
  }
  checkNumber("controlShare", params.controlShare, 0, 1);
  checkNumber("threshold", params.threshold, 0, 1);
  checkNumber("couponUpliftShare", params.couponUpliftShare, 0, 1);
  checkNumber("couponMinCents", params.couponMinCents, 1, MAX_CENTS, true);
  checkNumber("couponMaxCents", params.couponMaxCents, params.couponMinCents, MAX_CENTS, true);
  checkNumber("baseLogit", params.baseLogit, -10, 10);
  checkNumber("leadNoiseSd", params.leadNoiseSd, 0, 5);
  checkNumber("modelNoiseSd", params.modelNoiseSd, 0, 5);
  checkNumber("scoreLogitOffset", params.scoreLogitOffset, -10, 10);
  checkNumber("buyerLogitDelta", params.buyerLogitDelta, -10, 10);
  checkNumber("modelLatencyMs.min", params.modelLatencyMs.min, 0, 1000, true);
  checkNumber("modelLatencyMs.max", params.modelLatencyMs.max, params.modelLatencyMs.min, 1000, true);
  checkNumber("conversionMedianCents", params.conversionMedianCents, 1, MAX_CENTS);
  checkNumber("conversionLogSd", params.conversionLogSd, 0, 3);
  checkNumber("conversionMinCents", params.conversionMinCents, 1, MAX_CENTS, true);
  checkNumber("conversionMaxCents", params.conversionMaxCents, params.conversionMinCents, MAX_CENTS, true);
  checkNumber("conversionDelayMeanMs", params.conversionDelayMeanMs, 1, 1_000_000);
  checkNumber("conversionDelayMaxMs", params.conversionDelayMaxMs, params.modelLatencyMs.max + 1, 3_600_000, true);
  validateAudience(params);
}

function validateAudience({ audience, logitEffects }: DefaultProfileParams): void {
  const checkWeights = (field: string, choices: readonly (readonly [string, number])[]) => {
    if (choices.length === 0) throw new Error(`${field} must list at least one value`);
    choices.forEach(([value, weight]) => checkNumber(`${field}[${value}] weight`, weight, 0, 1e6));
    if (!choices.some(([, weight]) => weight > 0)) throw new Error(`${field} needs a positive weight`);
  };
  const checkEffect = (attribute: keyof DefaultProfileParams["logitEffects"], value: string) =>
    checkNumber(`logitEffects.${attribute}[${value}]`, logitEffects[attribute][value], -10, 10);

  checkWeights("audience.sources", audience.sources.map((s) => [s.utm_source, s.weight] as const));
  for (const source of audience.sources) {
    checkEffect("utm_source", source.utm_source);
    checkWeights(`audience.sources[${source.utm_source}].media`, source.media);
    for (const [medium] of source.media) {
      checkEffect("utm_medium", medium);
      const campaigns = audience.campaignsByMedium[medium];
      if (campaigns === undefined) throw new Error(`audience.campaignsByMedium has no entry for medium ${medium}`);
      checkWeights(`audience.campaignsByMedium[${medium}]`, campaigns);
      for (const [campaign] of campaigns) checkEffect("utm_campaign", campaign);
    }
  }
  checkWeights("audience.countries", audience.countries);
  for (const [country] of audience.countries) checkEffect("country_code", country);
  checkWeights("audience.devices", audience.devices);
  for (const [device] of audience.devices) checkEffect("device_type", device);
}

/** NaN and Infinity as themselves (JSON would print null), strings quoted. */
export function describeValue(value: unknown): string {
  return typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value));
}
