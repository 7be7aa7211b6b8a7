// The Postgres sink's COPY rows, read back by a COPY text parser written here from the format's
// documentation (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"): every
// value comes back as given, whichever characters it holds, and a NULL only where one was meant.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { conversionRows, couponRows, leadRows } from "../../loadgen/sinks/copy-text.ts";
import type { ConversionEvent, LeadEvent } from "../../loadgen/sim/events.ts";

const UNESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };

/**
 * Rows of fields; `\N` alone is NULL; `\\`, `\t`, `\n`, `\r` stand for the character. A raw
 * carriage return is refused: Postgres would take it for the end of a line.
 */
function parseCopyText(text: string): (string | null)[][] {
  if (text === "") return [];
  expect(text.endsWith("\n")).toBe(true);
  expect(text).not.toContain("\r");
  return text.slice(0, -1).split("\n").map((line) => line.split("\t").map((field) => {
    if (field === "\\N") return null;
    return field.replace(/\\(.)/g, (_all, c: string) => {
      const character = UNESCAPES[c];
      if (character === undefined) throw new Error(`unexpected escape \\${c} in ${JSON.stringify(field)}`);
      return character;
    });
  }));
}

// Text with the characters COPY treats specially, a literal `\N`, and characters outside ASCII.
const text = fc.array(fc.constantFrom("a", "Z", "0", ".", "@", "\\", "\t", "\n", "\r", "\\N", "N", "é", "€", "😀", " "), { maxLength: 6 })
  .map((pieces) => pieces.join(""));
const plainText = fc.array(fc.constantFrom("a", "b", ".", "@", "-", ":", "+", "1"), { minLength: 1, maxLength: 8 }).map((p) => p.join(""));

const lead = (cell: fc.Arbitrary<string>) => fc.record({
  type: fc.constant("lead" as const),
  id: fc.integer({ min: 1, max: 2 ** 40 }),
  email: cell,
  created_at: cell,
  utm_source: cell,
  utm_medium: cell,
  utm_campaign: cell,
  country_code: cell,
  device_type: cell,
});

const leadFields = (l: LeadEvent, conversion?: ConversionEvent) => [
  String(l.id), l.email, l.created_at, l.utm_source, l.utm_medium, l.utm_campaign, l.country_code, l.device_type,
  conversion?.converted_at ?? null, conversion === undefined ? null : String(conversion.conversion_amount),
];

describe("COPY rows", () => {
  it("give back every lead's values as they were, whatever characters they hold, converted or not", () => {
    const batch = fc.array(fc.tuple(fc.oneof(lead(text), lead(plainText)), fc.option(fc.tuple(text, fc.integer({ min: 1, max: 10 ** 6 })))), { maxLength: 8 });
    fc.assert(fc.property(batch, (rows) => {
      const leads = rows.map(([l], i) => ({ ...l, id: i + 1 }));
      const conversionOf = new Map<number, ConversionEvent>();
      rows.forEach(([, converted], i) => {
        if (converted) conversionOf.set(i + 1, { type: "conversion", lead_id: i + 1, converted_at: converted[0], conversion_amount: converted[1] });
      });
      expect(parseCopyText(leadRows(leads, conversionOf))).toEqual(leads.map((l) => leadFields(l, conversionOf.get(l.id))));
    }), { numRuns: 2_000 });
  });

  it("give back coupons and scheduled conversions as they were", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 1, max: 10 ** 6 }), text), { maxLength: 6 }), (rows) => {
      const coupons = rows.map(([id, amount, at]) => ({ type: "coupon" as const, id, lead_id: id, amount, created_at: at }));
      expect(parseCopyText(couponRows(coupons))).toEqual(rows.map(([id, amount, at]) => [String(id), String(id), String(amount), at]));
      const conversions = rows.map(([id, amount, at]) => ({ type: "conversion" as const, lead_id: id, converted_at: at, conversion_amount: amount }));
      expect(parseCopyText(conversionRows(conversions))).toEqual(rows.map(([id, amount, at]) => [String(id), at, String(amount)]));
    }), { numRuns: 2_000 });
  });

  it("write a literal backslash-N as text, not as NULL, even when it is the only unusual value in the batch", () => {
    const l: LeadEvent = { type: "lead", id: 1, email: "\\N", created_at: "2026-01-01T00:00:00.000+00:00", utm_source: "a", utm_medium: "b", utm_campaign: "c", country_code: "DE", device_type: "mobile" };
    expect(parseCopyText(leadRows([l]))[0]).toEqual(leadFields(l));
  });

  it("refuse an amount that is not an integer, naming the field", () => {
    expect(() => couponRows([{ type: "coupon", id: 1, lead_id: 1, amount: 1.5, created_at: "x" }])).toThrow("coupon amount must be an integer, got 1.5");
  });
});
