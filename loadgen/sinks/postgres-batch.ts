// A batch as the Postgres writer thread (postgres-thread.ts) takes it: the new rows as COPY
// text (copy-text.ts) and the conversions that fell due as columns. Built on the main thread,
// where the steps are, so that only strings and numbers cross to the writer.

import type { ConversionEvent, CouponEvent, LeadEvent, SimStep } from "../sim/events.ts";
import { conversionRows, couponRows, flattened, leadRows } from "./copy-text.ts";

export interface PostgresBatch {
  /** COPY text of public.leads (LEAD_COLUMNS); a lead whose conversion fell due in this batch comes converted. */
  leads: string;
  /** COPY text of public.coupons (id, lead_id, amount, created_at). */
  coupons: string;
  /** COPY text of loadgen.scheduled_conversions (lead_id, due_at, conversion_amount): the conversions still to come. */
  outbox: string;
  /**
   * The conversions that fell due for leads of earlier batches, as the text of three Postgres
   * arrays (lead ids, converted_at, amounts; the parameters of apply-conversions.sql), or
   * undefined when none did. Built here
   * rather than by the driver on the writer's thread, which spent more CPU per element on it.
   */
  conversions?: { leadIds: string; convertedAt: string; amounts: string };
}

export const LEAD_COLUMNS =
  "id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type, converted_at, conversion_amount";
export const COUPON_COLUMNS = "id, lead_id, amount, created_at";
export const OUTBOX_COLUMNS = "lead_id, due_at, conversion_amount";

/**
 * A conversion that falls due in the same batch as its lead is written with the lead (its
 * converted_at and conversion_amount in the lead's COPY row) and needs neither an outbox row
 * nor the UPDATE: the batch is one transaction, so no reader can tell the difference, and in
 * fast mode about half of all conversions fall due within their lead's batch. The others are
 * scheduled in the outbox and applied by a later batch's UPDATE (apply-conversions.sql).
 * The shop's tables come out the same however the steps are batched; which conversions get an
 * outbox row depends on where the batches were cut.
 */
export function postgresBatchOf(steps: readonly SimStep[]): PostgresBatch {
  const leads: LeadEvent[] = [];
  const coupons: CouponEvent[] = [];
  const planned: ConversionEvent[] = [];
  const arrivingIds = new Set<number>();
  const withTheirLead = new Map<number, ConversionEvent>();
  const due: ConversionEvent[] = [];
  for (const step of steps) {
    if (step.kind === "conversion") {
      const { conversion } = step;
      if (arrivingIds.has(conversion.lead_id)) withTheirLead.set(conversion.lead_id, conversion);
      else due.push(conversion);
      continue;
    }
    leads.push(step.plan.lead);
    arrivingIds.add(step.plan.lead.id);
    if (step.plan.coupon) coupons.push(step.plan.coupon);
    if (step.plan.conversion) planned.push(step.plan.conversion);
  }
  const scheduled = withTheirLead.size === 0 ? planned : planned.filter((c) => !withTheirLead.has(c.lead_id));
  return {
    leads: flattened(leadRows(leads, withTheirLead)),
    coupons: flattened(couponRows(coupons)),
    outbox: flattened(conversionRows(scheduled)),
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
