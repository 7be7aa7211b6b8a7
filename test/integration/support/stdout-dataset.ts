// The generator's stdout (one JSON event per line) as the rows the brute-force oracle reads.

import type { Dataset, PredictionMessage } from "../../sql/support/dataset.ts";

type Event = Record<string, unknown> & { type: string };

export function datasetFromEvents(stdout: string): Dataset {
  const events = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Event);
  const ms = (value: unknown) => Date.parse(String(value));
  const conversions = new Map(events.filter((e) => e.type === "conversion").map((e) => [Number(e.lead_id), e]));
  return {
    leads: events.filter((e) => e.type === "lead").map((e) => {
      const conversion = conversions.get(Number(e.id));
      return conversion === undefined
        ? { id: Number(e.id), createdAtMs: ms(e.created_at) }
        : { id: Number(e.id), createdAtMs: ms(e.created_at), convertedAtMs: ms(conversion.converted_at), conversionAmountCents: Number(conversion.conversion_amount) };
    }),
    coupons: events.filter((e) => e.type === "coupon").map((e) => ({
      id: Number(e.id), leadId: Number(e.lead_id), amountCents: Number(e.amount), createdAtMs: ms(e.created_at),
    })),
    predictions: events.filter((e) => e.type === "prediction").map(({ type: _type, ...message }) => message as unknown as PredictionMessage),
  };
}
