// The kinds of malformed prediction messages a producer (or a student's `rpk topic produce`)
// can send, each with the field its rejection must name. Shared by the hand-built cases and
// the property test. The field names are stated by hand, from the message contract.

import type { PredictionMessage } from "./dataset.ts";

export interface MalformedKind {
  /** Reads as the end of a sentence: "a message that ...". */
  what: string;
  /** The message value as sent (null: a Kafka message without a value). */
  text: (lead: PredictionMessage) => string | null;
  /** The rejection_reason must start with this field name. */
  field: string;
}

const json = (lead: PredictionMessage, change: Record<string, unknown>, drop?: keyof PredictionMessage): string => {
  const fields: Record<string, unknown> = { ...lead, ...change };
  if (drop) delete fields[drop];
  return JSON.stringify(fields);
};
/** The message as JSON text with one field's JSON replaced by raw text. */
const rawField = (lead: PredictionMessage, field: keyof PredictionMessage, raw: string): string =>
  JSON.stringify(lead).replace(`"${field}":${JSON.stringify(lead[field])}`, `"${field}":${raw}`);

export const MALFORMED_KINDS: readonly MalformedKind[] = [
  { what: "is not JSON", text: (p) => JSON.stringify(p).slice(0, -5), field: "message" },
  { what: "is empty", text: () => "", field: "message" },
  { what: "has no value (NULL)", text: () => null, field: "message" },
  { what: "is a JSON array", text: (p) => JSON.stringify([p]), field: "message" },
  { what: "is a JSON number", text: () => "42", field: "message" },
  { what: "is a JSON string", text: () => '"hello"', field: "message" },
  { what: "nests an object", text: (p) => json(p, { lead_id: { id: p.lead_id } }), field: "message" },
  { what: "uses a \\u0000 escape", text: (p) => rawField(p, "model_version", '"a\\u0000b"'), field: "message" },
  { what: "uses a lone surrogate escape", text: (p) => rawField(p, "model_version", '"\\ud800"'), field: "message" },
  { what: "holds a raw control character in a string", text: (p) => rawField(p, "model_version", '"a\u0001b"'), field: "message" },
  { what: "has a number with a two-digit exponent", text: (p) => rawField(p, "score", "1e99"), field: "message" },
  { what: "has a number with 21 fraction digits", text: (p) => rawField(p, "score", "0.123456789012345678901"), field: "message" },
  { what: "has a 20-digit lead_id", text: (p) => rawField(p, "lead_id", "12345678901234567890"), field: "message" },
  { what: "lacks the score", text: (p) => json(p, {}, "score"), field: "score" },
  { what: "lacks the lead_id", text: (p) => json(p, {}, "lead_id"), field: "lead_id" },
  { what: 'has "lead_id":"abc"', text: (p) => json(p, { lead_id: "abc" }), field: "lead_id" },
  { what: 'has "lead_id":12.5', text: (p) => json(p, { lead_id: 12.5 }), field: "lead_id" },
  { what: "has a negative lead_id", text: (p) => json(p, { lead_id: -p.lead_id }), field: "lead_id" },
  { what: 'has "score":"high"', text: (p) => json(p, { score: "high" }), field: "score" },
  { what: "has a score above 1", text: (p) => json(p, { score: 1.5 }), field: "score" },
  { what: "has a score below 0", text: (p) => json(p, { score: -0.1 }), field: "score" },
  { what: "has a threshold above 1", text: (p) => json(p, { threshold: 2 }), field: "threshold" },
  { what: 'has "label":"maybe"', text: (p) => json(p, { label: "maybe" }), field: "label" },
  { what: 'has "label":null', text: (p) => json(p, { label: null }), field: "label" },
  { what: "has an unknown experiment_bucket", text: (p) => json(p, { experiment_bucket: "treatment" }), field: "experiment_bucket" },
  { what: "has an empty model_version", text: (p) => json(p, { model_version: "" }), field: "model_version" },
  { what: "has predicted_at 2026-02-30T00:00:00Z", text: (p) => json(p, { predicted_at: "2026-02-30T00:00:00Z" }), field: "predicted_at" },
  { what: "has predicted_at 2026-02-29 (not a leap year)", text: (p) => json(p, { predicted_at: "2026-02-29T00:00:00Z" }), field: "predicted_at" },
  { what: 'has predicted_at "yesterday"', text: (p) => json(p, { predicted_at: "yesterday" }), field: "predicted_at" },
  { what: "has predicted_at without an offset", text: (p) => json(p, { predicted_at: p.predicted_at.slice(0, 19) }), field: "predicted_at" },
  { what: "has predicted_at at 24:00:00", text: (p) => json(p, { predicted_at: "2026-01-01T24:00:00Z" }), field: "predicted_at" },
];
