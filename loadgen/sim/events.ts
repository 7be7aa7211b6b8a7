// The events the simulator emits: one type per entity of the metric contract
// (docs/metrics.md). Field names are the contract's; timestamps are ISO-8601
// strings with an explicit offset ("+00:00") so every sink writes exactly the same text.
//
// Money is integer cents, as in the seed's schema.

export type ExperimentBucket = "control" | "experiment";

/** A new visitor. Grain: one per lead id. Written to Postgres `leads`. */
export interface LeadEvent {
  type: "lead";
  id: number;
  email: string;
  created_at: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  country_code: string;
  device_type: string;
}

/** The model's score for a lead. Exactly the Kafka message on `conversion_predictions`. */
export interface PredictionEvent {
  type: "prediction";
  lead_id: number;
  experiment_bucket: ExperimentBucket;
  score: number;
  label: boolean;
  threshold: number;
  model_version: string;
  predicted_at: string;
}

/** A coupon offered to a predicted-negative lead in the experiment bucket. Postgres `coupons`. */
export interface CouponEvent {
  type: "coupon";
  id: number;
  lead_id: number;
  amount: number;
  created_at: string;
}

/** A lead's purchase, applied later as an UPDATE of its `leads` row. */
export interface ConversionEvent {
  type: "conversion";
  lead_id: number;
  converted_at: string;
  conversion_amount: number;
}

export type SimEvent = LeadEvent | PredictionEvent | CouponEvent | ConversionEvent;

/** The Kafka message value: the prediction without the stdout `type` tag. */
export type PredictionMessage = Omit<PredictionEvent, "type">;

/**
 * Everything decided about a lead the moment it arrives: the lead, the model's prediction,
 * the coupon (if any) and the conversion it will make later (if any). Sinks persist the
 * planned conversion with the lead (an outbox) so that a crash cannot lose it.
 */
export interface LeadPlan {
  lead: LeadEvent;
  prediction: PredictionEvent;
  coupon?: CouponEvent;
  conversion?: ConversionEvent;
  /**
   * How many times the prediction message goes out on Kafka and stdout: absent = once; 0 under
   * a prediction outage, more under duplicate_predictions (scenarios). Postgres ignores it.
   */
  predictionCopies?: number;
}

/** One step of a simulation, in event-time order. */
export type SimStep =
  | { kind: "arrival"; atMs: number; plan: LeadPlan }
  | { kind: "conversion"; atMs: number; conversion: ConversionEvent };
