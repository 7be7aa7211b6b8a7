// The raw rows a test puts in front of the SQL: leads and coupons as in Postgres, and
// prediction messages as text with the broker's timestamp, exactly as the Kafka source
// receives them.

import { readFileSync } from "node:fs";
import type pg from "pg";

export interface LeadRow {
  id: number;
  createdAtMs: number;
  /** Both set when the lead converted (at any time, even after the horizon). */
  convertedAtMs?: number;
  conversionAmountCents?: number;
}

export interface CouponRow {
  id: number;
  leadId: number;
  amountCents: number;
  createdAtMs: number;
}

/** A prediction message's fields (the Kafka message value). */
export interface PredictionMessage {
  lead_id: number;
  experiment_bucket: string;
  score: number;
  label: boolean;
  threshold: number;
  model_version: string;
  predicted_at: string;
}

/** A message value exactly as a producer sent it (any text, or null for no value), and the
 *  broker's timestamp. */
export interface RawMessage {
  text: string | null;
  receivedAtMs: number;
}

export interface Dataset {
  leads: LeadRow[];
  coupons: CouponRow[];
  /** Well-formed messages, received at their predicted_at. */
  predictions: PredictionMessage[];
  /** Any other messages, well-formed or not, as sent. */
  rawMessages?: RawMessage[];
}

export const EMPTY: Dataset = Object.freeze({ leads: [], coupons: [], predictions: [] });

const sql = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), "utf8");
const SQL = {
  leads: sql("insert-leads.sql"),
  coupons: sql("insert-coupons.sql"),
  predictions: sql("insert-predictions.sql"),
  truncate: sql("truncate-inputs.sql"),
};

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Inserts in chunks so a 100,000-lead dataset stays within one statement's comfort zone. */
export async function insertDataset(client: pg.Client, data: Dataset, chunkSize = 20_000): Promise<void> {
  for (const leads of chunks(data.leads, chunkSize)) {
    await client.query(SQL.leads, [
      leads.map((l) => l.id),
      leads.map((l) => iso(l.createdAtMs)),
      leads.map((l) => (l.convertedAtMs === undefined ? null : iso(l.convertedAtMs))),
      leads.map((l) => l.conversionAmountCents ?? null),
    ]);
  }
  for (const coupons of chunks(data.coupons, chunkSize)) {
    await client.query(SQL.coupons, [
      coupons.map((c) => c.id),
      coupons.map((c) => c.leadId),
      coupons.map((c) => c.amountCents),
      coupons.map((c) => iso(c.createdAtMs)),
    ]);
  }
  for (const messages of chunks(allMessages(data), chunkSize)) {
    await client.query(SQL.predictions, [messages.map((m) => m.text), messages.map((m) => iso(m.receivedAtMs))]);
  }
}

/** Every message the source would hold: the well-formed ones as JSON, then the raw ones. */
export function allMessages(data: Dataset): RawMessage[] {
  const sent = data.predictions.map((p) => ({ text: JSON.stringify(p), receivedAtMs: Date.parse(p.predicted_at) }));
  return [...sent, ...(data.rawMessages ?? [])];
}

/** Empties the inputs (reference target only: a replicated table is never truncated). */
export async function truncateInputs(client: pg.Client): Promise<void> {
  await client.query(SQL.truncate);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
