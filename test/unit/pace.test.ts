import { describe, expect, it } from "vitest";
import { pace, type PaceOptions } from "../../loadgen/pace.ts";

/** A wall clock that only moves when pace() sleeps. */
function fakeClock(startMs = 10_000) {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => nowMs,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      nowMs += ms;
    },
  };
}

async function wallTimesOfYields(atMs: number[], options: Partial<PaceOptions> = {}) {
  const clock = fakeClock();
  const seen: { atMs: number; wallMs: number }[] = [];
  for await (const step of pace(atMs.map((t) => ({ atMs: t })), { now: clock.now, sleep: clock.sleep, ...options })) {
    seen.push({ atMs: step.atMs, wallMs: clock.now() - 10_000 });
  }
  return { seen, sleeps: clock.sleeps };
}

describe("pace", () => {
  it("yields each step when the wall clock reaches its offset from the first step", async () => {
    const { seen } = await wallTimesOfYields([5000, 5000, 5500, 7000]);
    expect(seen).toEqual([
      { atMs: 5000, wallMs: 0 },
      { atMs: 5000, wallMs: 0 },
      { atMs: 5500, wallMs: 500 },
      { atMs: 7000, wallMs: 2000 },
    ]);
  });

  it("divides every wait by the speedup", async () => {
    const { seen } = await wallTimesOfYields([5000, 5500, 7000], { speedup: 10 });
    expect(seen.map((s) => s.wallMs)).toEqual([0, 50, 200]);
  });

  it("never sleeps when the speedup is infinite", async () => {
    const { seen, sleeps } = await wallTimesOfYields([0, 1_000_000, 2_000_000], { speedup: Infinity });
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([]);
  });

  it("measures from the anchor when one is given, and lets overdue steps pass at once", async () => {
    const { seen } = await wallTimesOfYields([4000, 4500, 6000], { anchorMs: 5000 });
    expect(seen.map((s) => s.wallMs)).toEqual([0, 0, 1000]);
  });

  it("sleeps again when a sleep wakes up early", async () => {
    const clock = fakeClock();
    const wakesEarly = async (ms: number) => clock.sleep(Math.min(ms, 300));
    const seen: number[] = [];
    for await (const step of pace([{ atMs: 0 }, { atMs: 1000 }], { now: clock.now, sleep: wakesEarly })) {
      seen.push(clock.now() - 10_000);
      void step;
    }
    expect(seen).toEqual([0, 1000]);
    expect(clock.sleeps).toEqual([300, 300, 300, 100]);
  });

  it("stops promptly when the signal aborts during a long sleep", async () => {
    const controller = new AbortController();
    const neverWakes = () => new Promise<void>(() => {});
    const paced = pace([{ atMs: 0 }, { atMs: 3_600_000 }, { atMs: 7_200_000 }], {
      now: () => 0,
      sleep: neverWakes,
      signal: controller.signal,
    });
    expect(await paced.next()).toEqual({ done: false, value: { atMs: 0 } });
    const second = paced.next();
    setTimeout(() => controller.abort(), 5);
    expect(await second).toEqual({ done: true, value: undefined });
  });

  it("treats a sleep that rejects because of the abort as a normal stop", async () => {
    const controller = new AbortController();
    const rejectsOnAbort = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((_, reject) => signal?.addEventListener("abort", () => reject(new Error("AbortError"))));
    const paced = pace([{ atMs: 0 }, { atMs: 60_000 }], { now: () => 0, sleep: rejectsOnAbort, signal: controller.signal });
    await paced.next();
    const second = paced.next();
    controller.abort();
    expect(await second).toEqual({ done: true, value: undefined });
  });

  it("yields nothing when the signal is already aborted", async () => {
    const clock = fakeClock();
    const seen: unknown[] = [];
    for await (const step of pace([{ atMs: 0 }], { ...clock, signal: AbortSignal.abort() })) seen.push(step);
    expect(seen).toEqual([]);
  });

  it("refuses a speedup that is not positive", async () => {
    const clock = fakeClock();
    await expect(pace([{ atMs: 0 }], { ...clock, speedup: 0 }).next()).rejects.toThrow(/speedup must be > 0/);
  });
});
