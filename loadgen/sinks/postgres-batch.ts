// A batch as the Postgres writer thread (postgres-thread.ts) takes it: the new rows as COPY
// text (copy-text.ts) and the conversions that fell due as columns. Built on the main thread,
// where the steps are, so that only strings and numbers cross to the writer.

import type { SimStep } from "../sim/events.ts";
import { conversionRows, couponRows, leadRows } from "./copy-text.ts";
import { arrivalsIn, conversionsIn } from "./sink.ts";

export interface PostgresBatch {
  /** COPY text of public.leads (id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type). */
  leads: string;
  /** COPY text of public.coupons (id, lead_id, amount, created_at). */
  coupons: string;
  /** COPY text of loadgen.scheduled_conversions (lead_id, due_at, conversion_amount). */
  outbox: string;
  /** The conversions that fell due, one entry per conversion in each column. */
  conversions: { leadIds: number[]; convertedAt: string[]; amounts: number[] };
}

export const LEAD_COLUMNS = "id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type";
export const COUPON_COLUMNS = "id, lead_id, amount, created_at";
export const OUTBOX_COLUMNS = "lead_id, due_at, conversion_amount";

export function postgresBatchOf(steps: readonly SimStep[]): PostgresBatch {
  const plans = arrivalsIn(steps);
  const due = conversionsIn(steps);
  return {
    leads: leadRows(plans.map((p) => p.lead)),
    coupons: couponRows(plans.flatMap((p) => (p.coupon ? [p.coupon] : []))),
    outbox: conversionRows(plans.flatMap((p) => (p.conversion ? [p.conversion] : []))),
    conversions: {
      leadIds: due.map((c) => c.lead_id),
      convertedAt: due.map((c) => c.converted_at),
      amounts: due.map((c) => c.conversion_amount),
    },
  };
}
