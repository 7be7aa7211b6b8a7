// Named, hand-written lead plans for tests of the sinks and the pipeline.

import type { ConversionEvent, LeadPlan, SimStep } from "../../loadgen/sim/events.ts";

export function aLeadThatConvertsAfterACoupon(id: number): LeadPlan {
  const created = Date.UTC(2026, 0, 1, 0, 0, id % 60);
  const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
  return {
    lead: {
      type: "lead", id, email: `lead-${id}@example.test`, created_at: iso(created), utm_source: "google",
      utm_medium: "cpc", utm_campaign: "winter", country_code: "DE", device_type: "mobile",
    },
    prediction: {
      type: "prediction", lead_id: id, experiment_bucket: "experiment", score: 0.25, label: false,
      threshold: 0.5, model_version: "test-1", predicted_at: iso(created + 10),
    },
    coupon: { type: "coupon", id, lead_id: id, amount: 1_000, created_at: iso(created + 10) },
    conversion: { type: "conversion", lead_id: id, converted_at: iso(created + 12_000), conversion_amount: 5_000 },
  };
}

export function aControlLeadThatNeverConverts(id: number): LeadPlan {
  const plan = aLeadThatConvertsAfterACoupon(id);
  return {
    lead: plan.lead,
    prediction: { ...plan.prediction, experiment_bucket: "control", score: 0.75, label: true },
  };
}

export function conversionOf(plan: LeadPlan): ConversionEvent {
  if (!plan.conversion) throw new Error(`lead ${plan.lead.id} does not convert`);
  return plan.conversion;
}

export const arrival = (plan: LeadPlan): SimStep => ({ kind: "arrival", atMs: Date.parse(plan.lead.created_at), plan });

export const conversion = (plan: LeadPlan): SimStep => {
  const event = conversionOf(plan);
  return { kind: "conversion", atMs: Date.parse(event.converted_at), conversion: event };
};
