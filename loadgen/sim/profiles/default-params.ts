// Every number of the lab's `default` profile, in one object. The model of the world:
//
//   true propensity   p_true = sigmoid(baseLogit + Σ logitEffects[attribute][value] + leadNoiseSd·Z₁)
//   model score       score  = round₆(sigmoid(logit(p_true) + scoreLogitOffset + modelNoiseSd·Z₂))
//                     (an imperfect estimate; the offset is 0 unless a score_shift incident runs)
//   label             label  = score >= threshold
//   bucket            control with probability controlShare, else experiment
//   coupon            experiment ∧ ¬label; amount uniform integer in [couponMinCents, couponMaxCents]
//   with a coupon     p = p_true + couponUpliftShare·(1 − p_true)
//                     (the coupon persuades that share of the leads who would not have bought)
//   conversion        U < p′, one draw, so a lead who buys without a coupon also buys with one;
//                     p′ is p with buyerLogitDelta added to its log-odds (0 unless a
//                     concept_drift incident runs: buyers change, the score does not)
//   amount            clamp(round(conversionMedianCents·exp(conversionLogSd·Z₃)), min, max)
//   timing            predicted_at = created_at + latency, latency uniform in modelLatencyMs
//                     converted_at = predicted_at + d, d exponential with mean
//                     conversionDelayMeanMs truncated to (0, conversionDelayMaxMs − latency];
//                     the maximum is the horizon H = 30 s except under a label_delay incident
//
// Z₁, Z₂, Z₃ are independent standard normals from the lead's own RNG streams. Measured on
// 200k leads with these values: 34 % of control leads convert, 27 % of leads are predicted
// positive, control precision 0.57 / recall 0.45, conversion delay mean 7.3 s (median 5.4 s),
// and coupons about break even (net revenue per lead: control $24.4, experiment $23.9).

import { LABEL_HORIZON_MS } from "./types.ts";

type Weighted = readonly (readonly [string, number])[];

export interface DefaultProfileParams {
  readonly modelVersion: string;
  readonly controlShare: number;
  readonly threshold: number;
  readonly couponUpliftShare: number;
  readonly couponMinCents: number;
  readonly couponMaxCents: number;
  readonly baseLogit: number;
  readonly leadNoiseSd: number;
  readonly modelNoiseSd: number;
  /** Added to every score's log-odds (a miscalibrated release); 0 in the profile's own world. */
  readonly scoreLogitOffset: number;
  /** Added to the buyers' log-odds only, not to the score's input (concept drift); 0 normally. */
  readonly buyerLogitDelta: number;
  readonly modelLatencyMs: { readonly min: number; readonly max: number };
  readonly conversionMedianCents: number;
  readonly conversionLogSd: number;
  readonly conversionMinCents: number;
  readonly conversionMaxCents: number;
  readonly conversionDelayMeanMs: number;
  /** The latest a conversion can come after created_at; the 30 s horizon unless labels are delayed. */
  readonly conversionDelayMaxMs: number;
  /** Who visits the shop: weights need not sum to 1. Medium depends on source, campaign on medium. */
  readonly audience: {
    readonly sources: readonly { readonly utm_source: string; readonly weight: number; readonly media: Weighted }[];
    readonly campaignsByMedium: Readonly<Record<string, Weighted>>;
    readonly countries: Weighted;
    readonly devices: Weighted;
  };
  /** Additive effects on the log-odds of buying; every value of the audience needs one. */
  readonly logitEffects: {
    readonly utm_source: Readonly<Record<string, number>>;
    readonly utm_medium: Readonly<Record<string, number>>;
    readonly utm_campaign: Readonly<Record<string, number>>;
    readonly country_code: Readonly<Record<string, number>>;
    readonly device_type: Readonly<Record<string, number>>;
  };
}

const NOT_SET = "(not set)";

export const DEFAULT_PROFILE_PARAMS: DefaultProfileParams = deepFreeze({
  modelVersion: "lab-logit-1",
  controlShare: 0.2, // share of leads held out from coupons
  threshold: 0.5, // label = score >= threshold
  couponUpliftShare: 0.2, // share of would-not-buy leads a coupon turns into buyers
  couponMinCents: 500,
  couponMaxCents: 5000,
  baseLogit: -1.1, // log-odds of an average visitor before attribute effects
  leadNoiseSd: 1.0, // intent the attributes do not explain (log-odds)
  modelNoiseSd: 0.8, // the model's error (log-odds); 0 = a perfect, calibrated model
  scoreLogitOffset: 0,
  buyerLogitDelta: 0,
  modelLatencyMs: { min: 5, max: 50 },
  conversionMedianCents: 6000,
  conversionLogSd: 0.6,
  conversionMinCents: 500,
  conversionMaxCents: 50_000,
  conversionDelayMeanMs: 8000, // before truncation to the 30 s horizon
  conversionDelayMaxMs: LABEL_HORIZON_MS,
  audience: {
    sources: [
      { utm_source: "google", weight: 0.34, media: [["cpc", 0.6], ["organic", 0.4]] },
      { utm_source: "facebook", weight: 0.16, media: [["paid_social", 0.85], ["social", 0.15]] },
      { utm_source: "(direct)", weight: 0.14, media: [["(none)", 1]] },
      { utm_source: "instagram", weight: 0.12, media: [["paid_social", 0.8], ["social", 0.2]] },
      { utm_source: "newsletter", weight: 0.08, media: [["email", 1]] },
      { utm_source: "tiktok", weight: 0.07, media: [["paid_social", 0.9], ["social", 0.1]] },
      { utm_source: "bing", weight: 0.05, media: [["cpc", 0.7], ["organic", 0.3]] },
      { utm_source: "partner_blog", weight: 0.04, media: [["referral", 1]] },
    ],
    campaignsByMedium: {
      cpc: [["brand_search", 0.45], ["generic_search", 0.4], ["spring_sale", 0.15]],
      paid_social: [["spring_sale", 0.4], ["retargeting", 0.3], ["lookalike", 0.3]],
      email: [["weekly_digest", 0.7], ["spring_sale", 0.3]],
      organic: [[NOT_SET, 1]],
      social: [[NOT_SET, 1]],
      referral: [["partner_reviews", 1]],
      "(none)": [[NOT_SET, 1]],
    },
    countries: [
      ["US", 0.38], ["GB", 0.12], ["DE", 0.11], ["FR", 0.08], ["CA", 0.07], ["NL", 0.05],
      ["ES", 0.05], ["IT", 0.04], ["AU", 0.04], ["BR", 0.03], ["IN", 0.03],
    ],
    devices: [["mobile", 0.58], ["desktop", 0.36], ["tablet", 0.06]],
  },
  logitEffects: {
    utm_source: {
      google: 0, facebook: -0.2, "(direct)": 0.5, instagram: -0.3, newsletter: 0.7,
      tiktok: -0.6, bing: 0.1, partner_blog: 0.3,
    },
    utm_medium: {
      cpc: 0.2, organic: 0.1, paid_social: -0.1, social: -0.3, email: 0, referral: 0, "(none)": 0,
    },
    utm_campaign: {
      brand_search: 0.6, generic_search: -0.2, spring_sale: 0.3, retargeting: 0.8,
      lookalike: -0.4, weekly_digest: 0.2, partner_reviews: 0.2, [NOT_SET]: 0,
    },
    country_code: {
      US: 0.1, GB: 0.05, DE: 0, FR: -0.05, CA: 0.05, NL: 0, ES: -0.1, IT: -0.1, AU: 0.05,
      BR: -0.3, IN: -0.4,
    },
    device_type: { mobile: -0.15, desktop: 0.3, tablet: 0 },
  },
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
