// Moves simulation steps into a sink in micro-batches. While one batch is being written the
// next one accumulates, so a slow sink gets bigger batches and a fast one gets low latency;
// at most `maxBuffered` leads wait in memory. Arrivals are always written before the
// conversions of the same batch, and batches are written one at a time, in order, so a
// conversion never reaches a sink before its lead.

import type { ConversionEvent, LeadPlan, SimStep } from "./sim/events.ts";
import type { Sink } from "./sinks/sink.ts";

export interface PipelineCounts {
  leads: number;
  /** Lines a stdout sink would print: leads, predictions, coupons and conversions. */
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
  private arrivals: LeadPlan[] = [];
  private conversions: ConversionEvent[] = [];
  private inFlight: Promise<void> | undefined;
  private failure: unknown;

  constructor(private readonly sink: Sink, private readonly options: PipelineOptions) {
    this.counts = { leads: 0, events: 0, conversionsScheduled: options.restoredConversions ?? 0, conversionsApplied: 0 };
  }

  get pendingConversions(): number {
    return this.counts.conversionsScheduled - this.counts.conversionsApplied;
  }

  /** Feeds every step (until the signal aborts), then waits until everything is written. */
  async run(steps: Iterable<SimStep> | AsyncIterable<SimStep>): Promise<PipelineCounts> {
    for await (const step of steps) {
      if (this.options.signal?.aborted) break;
      this.push(step);
      await this.flushIfReady();
    }
    await this.drain();
    return this.counts;
  }

  private push(step: SimStep): void {
    if (step.kind === "arrival") this.arrivals.push(step.plan);
    else this.conversions.push(step.conversion);
  }

  private async flushIfReady(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.inFlight) this.startFlush();
    while (this.arrivals.length >= this.options.maxBuffered && this.inFlight) {
      await this.inFlight;
      if (this.failure) throw this.failure;
      if (!this.inFlight) this.startFlush();
    }
  }

  private startFlush(): void {
    if (this.arrivals.length === 0 && this.conversions.length === 0) return;
    const arrivals = this.arrivals;
    const conversions = this.conversions;
    this.arrivals = [];
    this.conversions = [];
    this.inFlight = this.write(arrivals, conversions)
      .catch((error: unknown) => {
        this.failure = error;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
  }

  private async write(arrivals: LeadPlan[], conversions: ConversionEvent[]): Promise<void> {
    if (arrivals.length > 0) await this.sink.writeArrivals(arrivals);
    if (conversions.length > 0) await this.sink.writeConversions(conversions);
    for (const plan of arrivals) {
      this.counts.leads += 1;
      this.counts.events += plan.coupon ? 3 : 2;
      if (plan.conversion) this.counts.conversionsScheduled += 1;
    }
    this.counts.conversionsApplied += conversions.length;
    this.counts.events += conversions.length;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.inFlight) await this.inFlight;
      if (this.failure) throw this.failure;
      if (this.arrivals.length === 0 && this.conversions.length === 0) return;
      this.startFlush();
    }
  }
}
