// Rows in PostgreSQL's COPY text format (tab-separated columns, one row per line), for the
// Postgres sink's COPY path. Every text value is escaped (backslash, tab, newline, carriage
// return), so no value can end a column or a row early; numbers are written as they are.
// https://www.postgresql.org/docs/current/sql-copy.html#SQL-COPY-FILE-FORMATS-TEXT

import type { ConversionEvent, CouponEvent, LeadEvent } from "../sim/events.ts";

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One text value for a COPY text column. */
export function copyValue(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

function integer(value: number, field: string): string {
  if (!Number.isSafeInteger(value)) throw new Error(`COPY: ${field} must be an integer, got ${String(value)}`);
  return String(value);
}

/**
 * Columns: id, email, created_at, utm_source, utm_medium, utm_campaign, country_code,
 * device_type, converted_at, conversion_amount. The last two are `\N` (NULL) unless
 * `conversionOf` holds the lead's conversion (one that fell due in the lead's own batch).
 */
export function leadRows(leads: readonly LeadEvent[], conversionOf?: ReadonlyMap<number, ConversionEvent>): string {
  let text = "";
  for (const l of leads) {
    const conversion = conversionOf?.get(l.id);
    const converted = conversion
      ? `${copyValue(conversion.converted_at)}\t${integer(conversion.conversion_amount, "conversion_amount")}`
      : "\\N\t\\N";
    text += `${integer(l.id, "lead id")}\t${copyValue(l.email)}\t${copyValue(l.created_at)}\t${copyValue(l.utm_source)}\t${copyValue(l.utm_medium)}\t${copyValue(l.utm_campaign)}\t${copyValue(l.country_code)}\t${copyValue(l.device_type)}\t${converted}\n`;
  }
  return text;
}

/** Columns: id, lead_id, amount, created_at. */
export function couponRows(coupons: readonly CouponEvent[]): string {
  let text = "";
  for (const v of coupons) {
    text += `${integer(v.id, "coupon id")}\t${integer(v.lead_id, "coupon lead_id")}\t${integer(v.amount, "coupon amount")}\t${copyValue(v.created_at)}\n`;
  }
  return text;
}

/** Columns: lead_id, due_at (converted_at), conversion_amount. */
export function conversionRows(conversions: readonly ConversionEvent[]): string {
  let text = "";
  for (const v of conversions) {
    text += `${integer(v.lead_id, "conversion lead_id")}\t${copyValue(v.converted_at)}\t${integer(v.conversion_amount, "conversion_amount")}\n`;
  }
  return text;
}

/**
 * The same text, stored as one piece. Rows built by `+=` are a tree of small strings (each
 * value, tab and row a node) until something reads them as a whole; a batch waits for its turn
 * and outlives a young-generation collection or two, and the garbage collector then copies every
 * node, batch after batch. Converting to a number makes V8 flatten the string in place (the
 * trick pino's `flatstr` uses); the tree is then garbage and one large string is left.
 */
export function flattened(text: string): string {
  Number(text);
  return text;
}
