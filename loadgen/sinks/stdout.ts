// Every event as one JSON line on a stream (stdout in the CLI), in event-time order, with
// `"type"` first and then the contract's fields. Users pipe it into files; tests read it without any service.
// The prediction line carries exactly the Kafka message's fields, and is printed as often as
// the message is sent (never, or several times, under some scenario incidents).

import { once } from "node:events";
import type { Writable } from "node:stream";
import type { ConversionEvent, CouponEvent, LeadEvent, SimStep } from "../sim/events.ts";
import { encodePrediction } from "./prediction-message.ts";
import type { Sink } from "./sink.ts";

export function stdoutSink(out: Writable): Sink {
  return {
    name: "stdout",
    async write(steps: readonly SimStep[]) {
      const lines: string[] = [];
      for (const step of steps) {
        if (step.kind === "conversion") {
          lines.push(JSON.stringify(conversionLine(step.conversion)));
          continue;
        }
        const { lead, prediction, coupon, predictionCopies } = step.plan;
        lines.push(JSON.stringify(leadLine(lead)));
        const predictionLine = `{"type":"prediction",${encodePrediction(prediction).slice(1)}`;
        for (let copy = 0; copy < (predictionCopies ?? 1); copy++) lines.push(predictionLine);
        if (coupon) lines.push(JSON.stringify(couponLine(coupon)));
      }
      if (lines.length > 0 && !out.write(lines.join("\n") + "\n")) await once(out, "drain");
    },
    async [Symbol.asyncDispose]() {},
  };
}

// Explicit field lists: the lines carry the contract's fields in a fixed order, nothing else.
const leadLine = (l: LeadEvent) => ({
  type: "lead", id: l.id, email: l.email, created_at: l.created_at, utm_source: l.utm_source,
  utm_medium: l.utm_medium, utm_campaign: l.utm_campaign, country_code: l.country_code, device_type: l.device_type,
});
const couponLine = (c: CouponEvent) => ({ type: "coupon", id: c.id, lead_id: c.lead_id, amount: c.amount, created_at: c.created_at });
const conversionLine = (c: ConversionEvent) => ({
  type: "conversion", lead_id: c.lead_id, converted_at: c.converted_at, conversion_amount: c.conversion_amount,
});
