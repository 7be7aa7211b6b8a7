// New leads, coupons and outbox rows by COPY: several times cheaper for the server (and for
// us) than INSERT … SELECT FROM unnest(text arrays). COPY cannot skip rows that are already
// there, so it is the fast path for the normal case, a batch never written before; a batch
// that was (replayed after a lost commit) fails with a unique violation and is then written
// again by the idempotent INSERT … ON CONFLICT DO NOTHING statements. Either way no lead is
// ever written twice.

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { LeadPlan } from "../sim/events.ts";
import { conversionRows, couponRows, leadRows } from "./copy-text.ts";

const UNIQUE_VIOLATION = "23505";

/**
 * Runs inside the caller's transaction. Returns false (the transaction aborted, nothing
 * written) when a row was there already: roll back and write the batch idempotently.
 */
export async function copyArrivals(c: pg.Client, plans: readonly LeadPlan[]): Promise<boolean> {
  const leads = plans.map((p) => p.lead);
  const coupons = plans.flatMap((p) => (p.coupon ? [p.coupon] : []));
  const planned = plans.flatMap((p) => (p.conversion ? [p.conversion] : []));
  try {
    await copyIn(c, "copy public.leads (id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type) from stdin", leadRows(leads));
    if (coupons.length > 0) await copyIn(c, "copy public.coupons (id, lead_id, amount, created_at) from stdin", couponRows(coupons));
    if (planned.length > 0) await copyIn(c, "copy loadgen.scheduled_conversions (lead_id, due_at, conversion_amount) from stdin", conversionRows(planned));
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return false;
    throw error;
  }
}

async function copyIn(c: pg.Client, statement: string, rows: string): Promise<void> {
  await pipeline(Readable.from([Buffer.from(rows)]), c.query(copyFrom(statement)));
}
