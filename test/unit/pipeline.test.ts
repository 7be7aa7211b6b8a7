import { describe, expect, it } from "vitest";
import { Pipeline } from "../../loadgen/pipeline.ts";
import type { SimStep } from "../../loadgen/sim/events.ts";
import type { Sink } from "../../loadgen/sinks/sink.ts";
import { aControlLeadThatNeverConverts, aLeadThatConvertsAfterACoupon, conversionOf } from "./loadgen-fixtures.ts";

/** A sink that records the order of writes and is slow, so batches pile up behind it. */
function slowRecordingSink(delayMs: number) {
  const written: string[] = [];
  const batchSizes: number[] = [];
  const sink: Sink = {
    name: "slow",
    async write(steps) {
      await new Promise((r) => setTimeout(r, delayMs));
      batchSizes.push(steps.filter((s) => s.kind === "arrival").length);
      written.push(...steps.map((s) => (s.kind === "arrival" ? `lead ${s.plan.lead.id}` : `conversion ${s.conversion.lead_id}`)));
    },
    async [Symbol.asyncDispose]() {},
  };
  return { sink, written, batchSizes };
}

function stepsWithConversions(n: number): SimStep[] {
  const steps: SimStep[] = [];
  for (let id = 1; id <= n; id++) {
    const plan = id % 2 === 0 ? aLeadThatConvertsAfterACoupon(id) : aControlLeadThatNeverConverts(id);
    steps.push({ kind: "arrival", atMs: id, plan });
    // The conversion of an even lead follows right after it: it must never overtake its lead.
    if (id % 2 === 0) steps.push({ kind: "conversion", atMs: id, conversion: conversionOf(plan) });
  }
  return steps;
}

describe("the pipeline", () => {
  it("hands the sink every step once, in the order it was given, wherever the batches were cut", async () => {
    const steps = stepsWithConversions(60);
    const expected = steps.map((s) => (s.kind === "arrival" ? `lead ${s.plan.lead.id}` : `conversion ${s.conversion.lead_id}`));
    for (const [delayMs, maxBuffered] of [[0, 1], [1, 7], [3, 100]] as const) {
      const { sink, written } = slowRecordingSink(delayMs);
      await new Pipeline(sink, { maxBuffered }).run(steps);
      expect(written).toEqual(expected);
    }
  });

  it("writes every lead before its conversion, once, in order", async () => {
    const { sink, written } = slowRecordingSink(2);
    const counts = await new Pipeline(sink, { maxBuffered: 7 }).run(stepsWithConversions(50));
    const position = (entry: string) => written.indexOf(entry);
    for (let id = 2; id <= 50; id += 2) expect(position(`conversion ${id}`)).toBeGreaterThan(position(`lead ${id}`));
    expect(written.filter((w) => w.startsWith("lead ")).map((w) => Number(w.slice(5)))).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(counts).toEqual({ leads: 50, events: 25 * 3 + 25 * 2 + 25, conversionsScheduled: 25, conversionsApplied: 25 });
  });

  it("keeps as many writes outstanding as the sink takes, never more, and in order", async () => {
    const { sink: slow, written } = slowRecordingSink(2);
    let outstanding = 0;
    let mostOutstanding = 0;
    const twoAtOnce: Sink = {
      name: "two-at-once",
      writesInFlight: 2,
      async write(steps) {
        mostOutstanding = Math.max(mostOutstanding, ++outstanding);
        // Like a chain: the batches reach the recording sink one at a time, in order.
        const mine = previous.then(() => slow.write(steps));
        previous = mine;
        await mine;
        outstanding -= 1;
      },
      [Symbol.asyncDispose]: async () => {},
    };
    let previous: Promise<void> = Promise.resolve();
    const steps = stepsWithConversions(80);
    await new Pipeline(twoAtOnce, { maxBuffered: 5 }).run(steps);
    expect(mostOutstanding).toBe(2);
    expect(written).toEqual(steps.map((s) => (s.kind === "arrival" ? `lead ${s.plan.lead.id}` : `conversion ${s.conversion.lead_id}`)));
  });

  it("batches behind a slow sink without holding more than maxBuffered leads", async () => {
    const { sink, batchSizes } = slowRecordingSink(5);
    await new Pipeline(sink, { maxBuffered: 10 }).run(stepsWithConversions(100));
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(10);
    expect(batchSizes.length).toBeLessThan(100);
  });

  it("stops taking steps once the signal aborts and still writes what it took", async () => {
    const stop = new AbortController();
    const { sink, written } = slowRecordingSink(0);
    async function* steps() {
      for (const step of stepsWithConversions(20)) {
        if (step.kind === "arrival" && step.plan.lead.id === 5) stop.abort();
        yield step;
      }
    }
    const counts = await new Pipeline(sink, { maxBuffered: 100, signal: stop.signal }).run(steps());
    expect(counts.leads).toBe(4);
    expect(written.filter((w) => w.startsWith("lead "))).toHaveLength(4);
  });

  it("lets timers and signal handlers run while a sink that never waits is fed", async () => {
    const instant: Sink = { name: "instant", write: async () => {}, [Symbol.asyncDispose]: async () => {} };
    let timerFiredAtLeads: number | undefined;
    const pipeline = new Pipeline(instant, { maxBuffered: 1_000 });
    setTimeout(() => (timerFiredAtLeads = pipeline.counts.leads), 0);
    await pipeline.run(stepsWithConversions(20_000));
    expect(timerFiredAtLeads, "the timer ran before the run ended").toBeLessThan(20_000);
  });

  it("surfaces a sink failure instead of losing it", async () => {
    const failing: Sink = {
      name: "failing",
      write: async () => { throw new Error("disk full"); },
      [Symbol.asyncDispose]: async () => {},
    };
    await expect(new Pipeline(failing, { maxBuffered: 3 }).run(stepsWithConversions(10))).rejects.toThrow("disk full");
  });

  it("counts restored conversions as pending until they are applied", async () => {
    const { sink } = slowRecordingSink(0);
    const restored = [aLeadThatConvertsAfterACoupon(101), aLeadThatConvertsAfterACoupon(102), aLeadThatConvertsAfterACoupon(103)];
    const pipeline = new Pipeline(sink, { maxBuffered: 10, restoredConversions: restored.length });
    expect(pipeline.pendingConversions).toBe(3);
    // Two of the restored conversions fall due, plus 10 new leads of which the 5 even ones convert
    // at once (stepsWithConversions): 3 + 5 scheduled, 2 + 5 applied.
    await pipeline.run([
      { kind: "conversion", atMs: 0, conversion: conversionOf(restored[0]!) },
      { kind: "conversion", atMs: 0, conversion: conversionOf(restored[1]!) },
      ...stepsWithConversions(10),
    ]);
    expect(pipeline.pendingConversions).toBe(1);
  });
});
