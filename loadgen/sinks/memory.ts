// Keeps everything written in arrays: for tests of the wiring, without services.

import type { ConversionEvent, LeadPlan } from "../sim/events.ts";
import { arrivalsIn, conversionsIn, type Sink } from "./sink.ts";

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
    async write(steps) {
      arrivals.push(...arrivalsIn(steps));
      conversions.push(...conversionsIn(steps));
    },
    async [Symbol.asyncDispose]() {},
  };
}
