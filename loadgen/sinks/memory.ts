// Keeps everything written in arrays: for tests of the wiring, without services.

import type { ConversionEvent, LeadPlan } from "../sim/events.ts";
import type { Sink } from "./sink.ts";

export interface MemorySink extends Sink {
  readonly arrivals: LeadPlan[];
  readonly conversions: ConversionEvent[];
}

export function memorySink(): MemorySink {
  const arrivals: LeadPlan[] = [];
  const conversions: ConversionEvent[] = [];
  return {
    name: "memory",
    arrivals,
    conversions,
    async writeArrivals(plans) {
      arrivals.push(...plans);
    },
    async writeConversions(batch) {
      conversions.push(...batch);
    },
    async [Symbol.asyncDispose]() {},
  };
}
