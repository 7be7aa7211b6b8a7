// The one small interface every sink implements. A sink receives simulation steps in
// event-time order: a lead's arrival (the whole plan, so a sink can persist the planned
// conversion with the lead) and, later, conversions as they fall due. Writes must be
// idempotent: after a crash or a lost connection the same batch may come again.

import type { ConversionEvent, LeadPlan, SimStep } from "../sim/events.ts";

export interface Sink extends AsyncDisposable {
  readonly name: string;
  write(steps: readonly SimStep[]): Promise<void>;
  /**
   * How many write() calls may be outstanding at once; absent = 1 (the caller awaits each
   * write before the next). Batches must still be written in the order they were handed over.
   */
  readonly writesInFlight?: number;
}

// Plain loops, not flatMap: these run on every batch, and flatMap allocates an array per step.
export function arrivalsIn(steps: readonly SimStep[]): LeadPlan[] {
  const plans: LeadPlan[] = [];
  for (const step of steps) if (step.kind === "arrival") plans.push(step.plan);
  return plans;
}

export function conversionsIn(steps: readonly SimStep[]): ConversionEvent[] {
  const conversions: ConversionEvent[] = [];
  for (const step of steps) if (step.kind === "conversion") conversions.push(step.conversion);
  return conversions;
}

/**
 * Writes to several sinks in order: a batch reaches the next sink only once the previous one
 * has it. Pipelined: while sink 2 writes batch n, sink 1 may already write batch n + 1, so
 * the chain takes one write() per sink at once. Each sink still gets one batch at a time, in
 * the order handed over; after a failure no later batch reaches any sink.
 */
export function sinkChain(sinks: readonly Sink[]): Sink {
  const done: Promise<void>[] = sinks.map(() => Promise.resolve());
  let failure: { error: unknown } | undefined;
  return {
    name: sinks.map((s) => s.name).join("+"),
    writesInFlight: Math.max(1, sinks.length),
    write(steps) {
      let previous: Promise<void> = Promise.resolve();
      sinks.forEach((sink, i) => {
        // Stage i of this batch starts once stage i of the batch before and stage i - 1 of this one are done.
        const stage = Promise.all([done[i], previous]).then(() => {
          if (failure) throw failure.error;
          return sink.write(steps);
        });
        stage.catch((error: unknown) => {
          failure ??= { error };
        });
        done[i] = stage.catch(() => {});
        previous = stage;
      });
      return previous;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(done);
      for (const sink of [...sinks].reverse()) await sink[Symbol.asyncDispose]();
    },
  };
}
