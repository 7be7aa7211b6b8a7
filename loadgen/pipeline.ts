// Moves simulation steps into a sink in micro-batches. While one batch is being written the
// next one accumulates, so a slow sink gets bigger batches and a fast one gets low latency;
// at most `maxBuffered` leads wait in memory (besides those being written). Batches keep the
// steps' order and are handed over in order, as many at once as the sink takes
// (`writesInFlight`: a chain of Kafka and Postgres takes two, one per stage), so a conversion
// never reaches a sink before its lead, and what a sink receives does not depend on where the
// batch boundaries fell.

import type { SimStep } from "./sim/events.ts";
import type { Sink } from "./sinks/sink.ts";

const YIELD_EVERY_STEPS = 1_000;

export interface PipelineCounts {
  leads: number;
  /** Event lines a stdout sink would print: leads, predictions (with copies), coupons and conversions. */
  events: number;
  conversionsScheduled: number;
  conversionsApplied: number;
}

export interface PipelineOptions {
  maxBuffered: number;
  signal?: AbortSignal;
  /** Conversions restored from an earlier run, already counted as scheduled. */
  restoredConversions?: number;
}

export class Pipeline {
  readonly counts: PipelineCounts;
  private buffered: SimStep[] = [];
  private bufferedArrivals = 0;
  /** Writes handed to the sink and not yet done, oldest first. */
  private inFlight: Promise<void>[] = [];
  private readonly maxInFlight: number;
  private failure: unknown;
  /** Steps fed since the event loop last turned (see feed). */
  private sinceYield = 0;

  constructor(private readonly sink: Sink, private readonly options: PipelineOptions) {
    this.maxInFlight = Math.max(1, sink.writesInFlight ?? 1);
    this.counts = { leads: 0, events: 0, conversionsScheduled: options.restoredConversions ?? 0, conversionsApplied: 0 };
  }

  get pendingConversions(): number {
    return this.counts.conversionsScheduled - this.counts.conversionsApplied;
  }

  /** Feeds every step (until the signal aborts), then waits until everything is written. */
  async run(steps: Iterable<SimStep> | AsyncIterable<SimStep>): Promise<PipelineCounts> {
    // Fast mode's steps are a plain iterable: `for await` over it would cost a promise and a
    // microtask per step (~9 % of a fast run's allocations), so it is read with `for … of`.
    if (Symbol.asyncIterator in steps) {
      for await (const step of steps) if (!(await this.feed(step))) break;
    } else {
      for (const step of steps) {
        const fed = this.feed(step); // `await` only on a promise: awaiting `true` costs one too
        if (fed === false || (fed !== true && !(await fed))) break;
      }
    }
    await this.drain();
    return this.counts;
  }

  /**
   * Buffers one step, starting a write or waiting for one as needed. False once the signal has
   * aborted. Returns a promise only when it has to wait: most steps cost no promise at all.
   */
  private feed(step: SimStep): boolean | Promise<boolean> {
    if (this.options.signal?.aborted) return false;
    this.push(step);
    const waiting = this.flushIfReady();
    // A fast sink never makes us wait, and awaiting only microtasks would starve timers
    // and signal handlers (progress, stats, SIGTERM): let the event loop turn now and then.
    const yielding = ++this.sinceYield === YIELD_EVERY_STEPS;
    if (yielding) this.sinceYield = 0;
    if (!waiting && !yielding) return true;
    return (async () => {
      await waiting;
      if (yielding) await new Promise((resolve) => setImmediate(resolve));
      return true;
    })();
  }

  private push(step: SimStep): void {
    this.buffered.push(step);
    if (step.kind === "arrival") this.bufferedArrivals += 1;
  }

  /** Starts a write if the sink takes one; a promise only when the buffer is full and must wait. */
  private flushIfReady(): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (this.inFlight.length < this.maxInFlight) this.startFlush();
    if (this.bufferedArrivals < this.options.maxBuffered || this.inFlight.length === 0) return undefined;
    return this.waitForRoom();
  }

  private async waitForRoom(): Promise<void> {
    while (this.bufferedArrivals >= this.options.maxBuffered && this.inFlight.length > 0) {
      await this.inFlight[0];
      if (this.failure) throw this.failure;
      if (this.inFlight.length < this.maxInFlight) this.startFlush();
    }
  }

  private startFlush(): void {
    if (this.buffered.length === 0) return;
    const batch = this.buffered;
    this.buffered = [];
    this.bufferedArrivals = 0;
    const written: Promise<void> = this.write(batch)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.inFlight = this.inFlight.filter((p) => p !== written);
      });
    this.inFlight.push(written);
  }

  /** Counts the batch first and keeps only the counts while it is written: steps kept across
   * writes would live long enough to be copied by the garbage collector, batch after batch. */
  private write(batch: SimStep[]): Promise<void> {
    const counted = countsOf(batch);
    return this.sink.write(batch).then(() => {
      this.counts.leads += counted.leads;
      this.counts.events += counted.events;
      this.counts.conversionsScheduled += counted.conversionsScheduled;
      this.counts.conversionsApplied += counted.conversionsApplied;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      await Promise.all(this.inFlight);
      if (this.failure) throw this.failure;
      if (this.buffered.length === 0) return;
      this.startFlush();
    }
  }
}

/** What a batch adds to the counts, taken before it is written so the steps need not be kept meanwhile. */
function countsOf(batch: readonly SimStep[]): PipelineCounts {
  const counts = { leads: 0, events: 0, conversionsScheduled: 0, conversionsApplied: 0 };
  for (const step of batch) {
    if (step.kind === "conversion") {
      counts.conversionsApplied += 1;
      counts.events += 1;
      continue;
    }
    counts.leads += 1;
    counts.events += 1 + (step.plan.predictionCopies ?? 1) + (step.plan.coupon ? 1 : 0);
    if (step.plan.conversion) counts.conversionsScheduled += 1;
  }
  return counts;
}
