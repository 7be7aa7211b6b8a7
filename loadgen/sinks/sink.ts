// The one small interface every sink implements. A sink receives whole lead plans when
// leads arrive (so it can persist the planned conversion with the lead) and conversions
// when they fall due. Writes must be idempotent: after a crash the generator may hand a
// sink the same batch again.

import type { ConversionEvent, LeadPlan } from "../sim/events.ts";

export interface Sink extends AsyncDisposable {
  readonly name: string;
  writeArrivals(plans: readonly LeadPlan[]): Promise<void>;
  writeConversions(conversions: readonly ConversionEvent[]): Promise<void>;
}

/** Writes to several sinks in order: a batch reaches the next sink only once the previous one has it. */
export function sinkChain(sinks: readonly Sink[]): Sink {
  return {
    name: sinks.map((s) => s.name).join("+"),
    async writeArrivals(plans) {
      for (const sink of sinks) await sink.writeArrivals(plans);
    },
    async writeConversions(conversions) {
      for (const sink of sinks) await sink.writeConversions(conversions);
    },
    async [Symbol.asyncDispose]() {
      for (const sink of [...sinks].reverse()) await sink[Symbol.asyncDispose]();
    },
  };
}
