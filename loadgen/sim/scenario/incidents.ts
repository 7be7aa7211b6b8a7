// The incident kinds a scenario can inject, and what each one does to the `default` profile's
// world while it is active. Pure: an incident is data (kind, span, params); `worldDuring`
// turns the incidents active at one instant into the profile parameters of that instant plus
// the two delivery effects that only the Kafka/stdout path sees (dropped and duplicated
// prediction messages).
//
// Overlaps: log-odds shifts (score_shift, concept_drift) add up; every other kind sets a value,
// and of two overlapping incidents of one kind the later one in the scenario file wins.

import type { DefaultProfileParams } from "../profiles/default-params.ts";

/** How late a delayed buyer can still buy (label_delay): bounded so the outbox stays small. */
export const LATE_CONVERSION_MAX_MS = 5 * 60_000;

export interface IncidentParamsByKind {
  model_decay: { model_noise_sd: number };
  score_shift: { logit_offset: number };
  traffic_shift: { source_weights: Readonly<Record<string, number>> };
  concept_drift: { base_logit_delta: number };
  coupon_fatigue: { coupon_uplift_share: number };
  split_bug: { control_share: number };
  prediction_outage: { drop_share: number };
  duplicate_predictions: { copies: number };
  label_delay: { conversion_delay_mean_ms: number };
}

export type IncidentKind = keyof IncidentParamsByKind;

export const INCIDENT_KINDS = [
  "model_decay", "score_shift", "traffic_shift", "concept_drift", "coupon_fatigue",
  "split_bug", "prediction_outage", "duplicate_predictions", "label_delay",
] as const satisfies readonly IncidentKind[];

/** One incident of a run, on the run's absolute clock. `endsAtMs` undefined = until the run ends. */
export type TimedIncident = {
  [K in IncidentKind]: {
    incidentId: number;
    kind: K;
    startsAtMs: number;
    endsAtMs: number | undefined;
    params: IncidentParamsByKind[K];
  };
}[IncidentKind];

/** The world at one instant: the profile's parameters and how prediction messages are delivered. */
export interface World {
  params: DefaultProfileParams;
  /** Share of prediction messages never sent (0 = none). */
  dropShare: number;
  /** How many times each sent prediction message goes out (1 = once). */
  copies: number;
}

export function isActive(incident: TimedIncident, atMs: number): boolean {
  return incident.startsAtMs <= atMs && (incident.endsAtMs === undefined || atMs < incident.endsAtMs);
}

/** The world while exactly `active` incidents run (in scenario order); none = the profile's own. */
export function worldDuring(base: DefaultProfileParams, active: readonly TimedIncident[]): World {
  let params: DefaultProfileParams = base;
  let dropShare = 0;
  let copies = 1;
  for (const incident of active) {
    switch (incident.kind) {
      case "model_decay": params = { ...params, modelNoiseSd: incident.params.model_noise_sd }; break;
      case "score_shift": params = { ...params, scoreLogitOffset: params.scoreLogitOffset + incident.params.logit_offset }; break;
      case "traffic_shift": params = withSourceWeights(params, incident.params.source_weights); break;
      case "concept_drift": params = { ...params, buyerLogitDelta: params.buyerLogitDelta + incident.params.base_logit_delta }; break;
      case "coupon_fatigue": params = { ...params, couponUpliftShare: incident.params.coupon_uplift_share }; break;
      case "split_bug": params = { ...params, controlShare: incident.params.control_share }; break;
      case "prediction_outage": dropShare = incident.params.drop_share; break;
      case "duplicate_predictions": copies = incident.params.copies; break;
      case "label_delay":
        params = {
          ...params,
          conversionDelayMeanMs: incident.params.conversion_delay_mean_ms,
          conversionDelayMaxMs: LATE_CONVERSION_MAX_MS,
        };
        break;
    }
  }
  return { params, dropShare, copies };
}

/** The audience with some sources' weights replaced; sources not named keep theirs. */
function withSourceWeights(params: DefaultProfileParams, weights: Readonly<Record<string, number>>): DefaultProfileParams {
  const sources = params.audience.sources.map((s) => (s.utm_source in weights ? { ...s, weight: weights[s.utm_source]! } : s));
  return { ...params, audience: { ...params.audience, sources } };
}
