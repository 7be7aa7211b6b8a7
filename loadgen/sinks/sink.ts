// The one small interface every sink implements. A sink receives simulation steps in
// event-time order: a lead's arrival (the whole plan, so a sink can persist the planned
// conversion with the lead) and, later, conversions as they fall due. Writes must be
// idempotent: after a crash or a lost connection the same batch may come again.

import type { ConversionEvent, LeadPlan, SimStep } from "../sim/events.ts";

export interface Sink extends AsyncDisposable {
  readonly name: string;
  write(steps: readonly SimStep[]): Promise<void>;
}

export const arrivalsIn = (steps: readonly SimStep[]): LeadPlan[] =>
  steps.flatMap((s) => (s.kind === "arrival" ? [s.plan] : []));

export const conversionsIn = (steps: readonly SimStep[]): ConversionEvent[] =>
  steps.flatMap((s) => (s.kind === "conversion" ? [s.conversion] : []));

/** Writes to several sinks in order: a batch reaches the next sink only once the previous one has it. */
export function sinkChain(sinks: readonly Sink[]): Sink {
  return {
    name: sinks.map((s) => s.name).join("+"),
    async write(steps) {
      for (const sink of sinks) await sink.write(steps);
    },
    async [Symbol.asyncDispose]() {
      for (const sink of [...sinks].reverse()) await sink[Symbol.asyncDispose]();
    },
  };
}
