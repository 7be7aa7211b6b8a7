// The one small interface every sink implements. A sink receives simulation steps in
// event-time order: a lead's arrival (the whole plan, so a sink can persist the planned
// conversion with the lead) and, later, conversions as they fall due. Writes must be
// idempotent: after a crash or a lost connection the same batch may come again.

import type { ConversionEvent, LeadPlan, SimStep } from "../sim/events.ts";

export interface Sink extends AsyncDisposable {
  readonly name: string;
  /**
   * Writes the batch. `order` is given only to a sink that declares `overlapsPrevious`, as
   * soon as a chain has the batch: the sink may prepare it at once, must start writing it only
   * once `turn` resolves (its previous batch is written; if `turn` rejects, it writes nothing),
   * and must not make it durable or visible until `durableAfter` resolves (the sink before it
   * has the batch), writing nothing of it and rejecting if that rejects.
   */
  write(steps: readonly SimStep[], order?: WriteOrder): Promise<void>;
  /**
   * How many write() calls may be outstanding at once; absent = 1 (the caller awaits each
   * write before the next). Batches must still be written in the order they were handed over.
   */
  readonly writesInFlight?: number;
  /** True when the sink takes `order` in a chain (Postgres: it copies a batch while Kafka sends it, commits after). */
  readonly overlapsPrevious?: boolean;
}

export interface WriteOrder {
  turn: Promise<void>;
  durableAfter: Promise<void>;
}

/** The promise, marked handled: a sink that fails before awaiting its turn must not leave a rejection nobody hears. */
function handled(promise: Promise<void>): Promise<void> {
  promise.catch(() => {});
  return promise;
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
 * Writes to several sinks in order: a batch is durable in the next sink only once the previous
 * one has it. Pipelined: while sink 2 writes batch n, sink 1 may already write batch n + 1, so
 * the chain takes one write() per sink at once. Each sink writes one batch at a time, in the
 * order handed over, and after a failure writes no later batch. A sink that `overlapsPrevious`
 * is handed each batch at once, with its turn (its previous batch written) and the write of
 * the sink before it (`durableAfter`): Postgres encodes the batch, copies the rows when its
 * turn comes, possibly while Kafka still sends the predictions, and commits once Kafka has
 * them. Any other sink is handed a batch only when both are done.
 */
export function sinkChain(sinks: readonly Sink[]): Sink {
  const done: Promise<void>[] = sinks.map(() => Promise.resolve());
  let failure: { error: unknown } | undefined;
  const throwIfFailed = () => {
    if (failure) throw failure.error;
  };
  return {
    name: sinks.map((s) => s.name).join("+"),
    writesInFlight: Math.max(1, sinks.length),
    write(steps) {
      let previous: Promise<void> = Promise.resolve();
      sinks.forEach((sink, i) => {
        // Stage i of this batch starts once stage i of the batch before and stage i - 1 of this
        // one are done; an overlapping sink gets the batch at once, with both to wait for.
        const before = previous;
        const overlaps = sink.overlapsPrevious === true && i > 0;
        const stage = overlaps
          ? sink.write(steps, { turn: handled(done[i]!.then(() => throwIfFailed())), durableAfter: before })
          : Promise.all([done[i], before]).then(() => {
              throwIfFailed();
              return sink.write(steps);
            });
        stage.catch((error: unknown) => {
          failure ??= { error };
        });
        done[i] = stage.catch(() => {});
        // A batch is through the chain when its last stage is done: for an overlapping sink,
        // the stage before it too (the sink waits for it anyway, this makes sure of it).
        previous = overlaps ? Promise.all([before, stage]).then(() => {}) : stage;
      });
      return previous;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(done);
      for (const sink of [...sinks].reverse()) await sink[Symbol.asyncDispose]();
    },
  };
}
