// A batch as the Postgres writer thread (postgres-thread.ts) takes it: the new rows as COPY
// text (copy-text.ts) and the conversions that fell due as columns. Built on the main thread,
// where the steps are, so that only strings and numbers cross to the writer.

import type { ConversionEvent, CouponEvent, LeadEvent, SimStep } from "../sim/events.ts";
import { conversionRows, couponRows, leadRows } from "./copy-text.ts";

export interface PostgresBatch {
  /** COPY text of public.leads (id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type). */
  leads: string;
  /** COPY text of public.coupons (id, lead_id, amount, created_at). */
  coupons: string;
  /** COPY text of loadgen.scheduled_conversions (lead_id, due_at, conversion_amount). */
  outbox: string;
  /**
   * The conversions that fell due, as the text of three Postgres arrays (lead ids, converted_at,
   * amounts; the parameters of apply-conversions.sql), or undefined when none did. Built here
   * rather than by the driver on the writer's thread, which spent more CPU per element on it.
   */
  conversions?: { leadIds: string; convertedAt: string; amounts: string };
}

export const LEAD_COLUMNS = "id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type";
export const COUPON_COLUMNS = "id, lead_id, amount, created_at";
export const OUTBOX_COLUMNS = "lead_id, due_at, conversion_amount";

export function postgresBatchOf(steps: readonly SimStep[]): PostgresBatch {
  const leads: LeadEvent[] = [];
  const coupons: CouponEvent[] = [];
  const planned: ConversionEvent[] = [];
  const due: ConversionEvent[] = [];
  for (const step of steps) {
    if (step.kind === "conversion") {
      due.push(step.conversion);
      continue;
    }
    leads.push(step.plan.lead);
    if (step.plan.coupon) coupons.push(step.plan.coupon);
    if (step.plan.conversion) planned.push(step.plan.conversion);
  }
  return {
    leads: leadRows(leads),
    coupons: couponRows(coupons),
    outbox: conversionRows(planned),
    conversions: due.length === 0 ? undefined : {
      leadIds: arrayLiteral(due.map((c) => integer(c.lead_id, "conversion lead_id"))),
      convertedAt: arrayLiteral(due.map((c) => quoted(c.converted_at))),
      amounts: arrayLiteral(due.map((c) => integer(c.conversion_amount, "conversion_amount"))),
    },
  };
}

/** Postgres array text: `{a,b,c}`. https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO */
const arrayLiteral = (elements: readonly string[]) => `{${elements.join(",")}}`;

/** An array element in double quotes, `"` and `\` escaped, so no value can end it early. */
const quoted = (text: string) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;

function integer(value: number, field: string): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Postgres batch: ${field} must be an integer, got ${String(value)}`);
  return String(value);
}
