import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodePrediction, InvalidPredictionError, predictionMessageSchema } from "../../loadgen/sinks/prediction-message.ts";
import { memorySink } from "../../loadgen/sinks/memory.ts";
import { sinkChain, type Sink } from "../../loadgen/sinks/sink.ts";
import { stdoutSink } from "../../loadgen/sinks/stdout.ts";
import { aControlLeadThatNeverConverts, aLeadThatConvertsAfterACoupon, arrival, conversion } from "./loadgen-fixtures.ts";

async function linesWritten(write: (sink: Sink) => Promise<void>): Promise<Record<string, unknown>[]> {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (c: Buffer) => chunks.push(c.toString()));
  await write(stdoutSink(out));
  return chunks.join("").trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("the stdout sink", () => {
  it("prints a lead, its prediction and its coupon as one JSON line each, type first", async () => {
    const plan = aLeadThatConvertsAfterACoupon(7);
    const lines = await linesWritten((s) => s.write([arrival(plan)]));
    expect(lines.map((l) => l.type)).toEqual(["lead", "prediction", "coupon"]);
    expect(lines.every((l) => Object.keys(l)[0] === "type")).toBe(true);
    expect(lines[1]).toEqual({
      type: "prediction", lead_id: 7, experiment_bucket: "experiment", score: 0.25, label: false,
      threshold: 0.5, model_version: "test-1", predicted_at: plan.prediction.predicted_at,
    });
  });

  it("prints a conversion with exactly the contract's fields", async () => {
    const plan = aLeadThatConvertsAfterACoupon(8);
    const lines = await linesWritten((s) => s.write([conversion(plan)]));
    expect(lines).toEqual([{ type: "conversion", lead_id: 8, converted_at: plan.conversion?.converted_at, conversion_amount: 5_000 }]);
  });

  it("prints the steps in the order it is given them", async () => {
    const first = aLeadThatConvertsAfterACoupon(1);
    const second = aControlLeadThatNeverConverts(2);
    const lines = await linesWritten((s) => s.write([arrival(first), conversion(first), arrival(second)]));
    expect(lines.map((l) => `${l.type} ${l.lead_id ?? l.id}`)).toEqual([
      "lead 1", "prediction 1", "coupon 1", "conversion 1", "lead 2", "prediction 2",
    ]);
  });

  it("prints no coupon line for a lead without a coupon", async () => {
    const lines = await linesWritten((s) => s.write([arrival(aControlLeadThatNeverConverts(3))]));
    expect(lines.map((l) => l.type)).toEqual(["lead", "prediction"]);
  });
});

describe("a prediction message", () => {
  it("carries exactly the contract's fields as JSON", () => {
    const message = JSON.parse(encodePrediction(aLeadThatConvertsAfterACoupon(1).prediction)) as object;
    expect(Object.keys(message).sort()).toEqual(
      ["experiment_bucket", "label", "lead_id", "model_version", "predicted_at", "score", "threshold"],
    );
  });

  it("is sent exactly when the contract's schema accepts it, and then as the schema's JSON", () => {
    const anyValue = fc.oneof(fc.double(), fc.integer(), fc.constant(2 ** 53), fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    // Mostly valid fields, so that a message with one wrong field (the interesting case) is common.
    const field = <T>(valid: fc.Arbitrary<T>, edges: fc.Arbitrary<unknown>) =>
      fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: edges, weight: 1 }, { arbitrary: anyValue, weight: 1 });
    const prediction = fc.record({
      type: fc.constant("prediction"),
      lead_id: field(fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom(0, -1, 1.5, 2 ** 53, Number.NaN)),
      experiment_bucket: field(fc.constantFrom("control", "experiment"), fc.constantFrom("treatment", "", "Control")),
      score: field(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(-0.001, 1.001, Number.NaN, Infinity)),
      label: field(fc.boolean(), fc.constantFrom(0, 1, "true")),
      threshold: field(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(-0.001, 1.001, Number.NaN)),
      // Any text, quotes, backslashes and line separators included, changing between messages.
      model_version: field(fc.oneof(fc.constantFrom("v1", "default-2026", 'q"uote\\slash', "line\u2028sep"), fc.string({ minLength: 1 })), fc.constant("")),
      predicted_at: field(
        fc.constantFrom("2026-01-01T00:00:00.000+00:00", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5-05:30"),
        fc.constantFrom("2026-01-01T00:00:00", "2026-01-01 00:00:00+00:00", "2026-01-01T00:00:00.000+0000", ""),
      ),
    });
    fc.assert(fc.property(prediction, (p) => {
      const { type: _type, ...message } = p;
      const checked = predictionMessageSchema.safeParse(message);
      if (checked.success) expect(encodePrediction(p as never)).toBe(JSON.stringify(checked.data));
      else expect(() => encodePrediction(p as never)).toThrow(InvalidPredictionError);
    }), { numRuns: 5_000 });
  });

  it.each([
    ["a NaN score", { score: Number.NaN }, "score"],
    ["a score above 1", { score: 1.5 }, "score"],
    ["an unknown bucket", { experiment_bucket: "treatment" }, "experiment_bucket"],
    ["a timestamp without offset", { predicted_at: "2026-01-01T00:00:00" }, "predicted_at"],
    ["a fractional lead id", { lead_id: 1.5 }, "lead_id"],
  ])("is refused before sending when it has %s, naming the field", (_name, change, field) => {
    const prediction = { ...aLeadThatConvertsAfterACoupon(1).prediction, ...change } as never;
    expect(() => encodePrediction(prediction)).toThrow(InvalidPredictionError);
    expect(() => encodePrediction(prediction)).toThrow(field);
  });
});

describe("a chain of sinks", () => {
  it("hands every batch to each sink in order and closes them in reverse", async () => {
    const order: string[] = [];
    const tracing = (name: string): Sink => ({
      name,
      write: async (steps) => void order.push(`${name}:${steps.length}`),
      [Symbol.asyncDispose]: async () => void order.push(`${name}:closed`),
    });
    const chain = sinkChain([tracing("kafka"), tracing("postgres")]);
    await chain.write([arrival(aLeadThatConvertsAfterACoupon(1))]);
    await chain.write([arrival(aLeadThatConvertsAfterACoupon(2)), conversion(aLeadThatConvertsAfterACoupon(2))]);
    await chain[Symbol.asyncDispose]();
    expect(order).toEqual(["kafka:1", "postgres:1", "kafka:2", "postgres:2", "postgres:closed", "kafka:closed"]);
    expect(chain.name).toBe("kafka+postgres");
  });

  it("lets the first sink write the next batch while the second still writes the one before", async () => {
    const events: string[] = [];
    let releaseSecond: () => void = () => {};
    const secondMayFinish = new Promise<void>((resolve) => (releaseSecond = resolve));
    const first: Sink = { name: "kafka", write: async (steps) => void events.push(`kafka:${steps.length}`), [Symbol.asyncDispose]: async () => {} };
    const second: Sink = {
      name: "postgres",
      async write(steps) {
        events.push(`postgres:${steps.length}:start`);
        if (steps.length === 1) await secondMayFinish;
        events.push(`postgres:${steps.length}:end`);
      },
      [Symbol.asyncDispose]: async () => {},
    };
    const chain = sinkChain([first, second]);
    expect(chain.writesInFlight).toBe(2);
    const one = chain.write([arrival(aLeadThatConvertsAfterACoupon(1))]);
    const two = chain.write([arrival(aLeadThatConvertsAfterACoupon(2)), conversion(aLeadThatConvertsAfterACoupon(2))]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Batch 2 is in the first sink, and must wait for batch 1 to leave the second.
    expect(events).toEqual(["kafka:1", "postgres:1:start", "kafka:2"]);
    releaseSecond();
    await Promise.all([one, two]);
    expect(events).toEqual(["kafka:1", "postgres:1:start", "kafka:2", "postgres:1:end", "postgres:2:start", "postgres:2:end"]);
  });

  it("lets a sink that overlaps start on a batch while the sink before it still writes it, and hands it that write", async () => {
    const events: string[] = [];
    let kafkaMayFinish: () => void = () => {};
    const kafkaHeld = new Promise<void>((resolve) => (kafkaMayFinish = resolve));
    const kafka: Sink = {
      name: "kafka",
      async write(steps) {
        events.push(`kafka:${steps.length}:start`);
        await kafkaHeld;
        events.push(`kafka:${steps.length}:end`);
      },
      [Symbol.asyncDispose]: async () => {},
    };
    const postgres: Sink = {
      name: "postgres",
      overlapsPrevious: true,
      async write(steps, order) {
        await order?.turn;
        events.push(`postgres:${steps.length}:copied`);
        await order?.durableAfter;
        events.push(`postgres:${steps.length}:committed`);
      },
      [Symbol.asyncDispose]: async () => {},
    };
    const chain = sinkChain([kafka, postgres]);
    const one = chain.write([arrival(aLeadThatConvertsAfterACoupon(1))]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(["kafka:1:start", "postgres:1:copied"]);
    kafkaMayFinish();
    await one;
    expect(events).toEqual(["kafka:1:start", "postgres:1:copied", "kafka:1:end", "postgres:1:committed"]);
  });

  it("hands an overlapping sink the failure of the sink before it, and reports that failure", async () => {
    const kafka: Sink = { name: "kafka", write: async () => Promise.reject(new Error("broker gone")), [Symbol.asyncDispose]: async () => {} };
    const outcomes: string[] = [];
    const postgres: Sink = {
      name: "postgres",
      overlapsPrevious: true,
      async write(_steps, order) {
        try {
          await order?.durableAfter;
          outcomes.push("committed");
        } catch (error) {
          outcomes.push(`rolled back: ${(error as Error).message}`);
          throw new Error("not committed");
        }
      },
      [Symbol.asyncDispose]: async () => {},
    };
    const chain = sinkChain([kafka, postgres]);
    await expect(chain.write([arrival(aLeadThatConvertsAfterACoupon(1))])).rejects.toThrow("broker gone");
    expect(outcomes).toEqual(["rolled back: broker gone"]);
  });

  it("leaves no rejection unheard when an overlapping sink fails a batch without waiting for its turn", async () => {
    const unheard: unknown[] = [];
    const listener = (reason: unknown) => void unheard.push(reason);
    process.on("unhandledRejection", listener);
    try {
      let kafkaMayFinish: () => void = () => {};
      const kafkaHeld = new Promise<void>((resolve) => (kafkaMayFinish = resolve));
      const kafka: Sink = { name: "kafka", write: () => kafkaHeld, [Symbol.asyncDispose]: async () => {} };
      const postgres: Sink = {
        name: "postgres",
        overlapsPrevious: true,
        async write(steps, order) {
          if (steps.length === 2) throw new Error("cannot encode");
          await order?.turn;
          await order?.durableAfter;
        },
        [Symbol.asyncDispose]: async () => {},
      };
      const chain = sinkChain([kafka, postgres]);
      const one = chain.write([arrival(aLeadThatConvertsAfterACoupon(1))]).catch((error: Error) => error.message);
      const two = chain.write([arrival(aLeadThatConvertsAfterACoupon(2)), conversion(aLeadThatConvertsAfterACoupon(2))]).catch((error: Error) => error.message);
      kafkaMayFinish();
      expect(await two).toBe("cannot encode");
      await one;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unheard).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  it("hands no later batch to any sink once a write has failed", async () => {
    const seen: string[] = [];
    const failing: Sink = {
      name: "kafka",
      async write(steps) {
        seen.push(`kafka:${steps.length}`);
        if (steps.length === 1) throw new Error("broker gone");
      },
      [Symbol.asyncDispose]: async () => {},
    };
    const recording: Sink = { name: "postgres", write: async (steps) => void seen.push(`postgres:${steps.length}`), [Symbol.asyncDispose]: async () => {} };
    const chain = sinkChain([failing, recording]);
    const one = chain.write([arrival(aLeadThatConvertsAfterACoupon(1))]);
    const two = chain.write([arrival(aLeadThatConvertsAfterACoupon(2)), conversion(aLeadThatConvertsAfterACoupon(2))]);
    await expect(one).rejects.toThrow("broker gone");
    await expect(two).rejects.toThrow("broker gone");
    expect(seen).toEqual(["kafka:1"]);
  });

  it("keeps what the memory sink is given", async () => {
    const sink = memorySink();
    const plan = aLeadThatConvertsAfterACoupon(1);
    await sink.write([arrival(plan), conversion(plan)]);
    expect(sink.arrivals).toEqual([plan]);
    expect(sink.conversions).toEqual([plan.conversion]);
  });
});
