// Event time → wall time. The simulator stamps every step with its simulated time; pace()
// hands each step on once the wall clock has caught up with it, `speedup` times faster than
// real time (Infinity = as fast as the consumer takes them). The clock and the sleep are
// parameters, so tests drive it with a fake clock. Model: sql-training's `Delayer`.
//
// Sim time `anchorMs` (default: the first step's atMs) corresponds to the wall time of the
// first pull; a step is due at wallStart + (atMs − anchorMs) / speedup. Steps already due
// (e.g. conversions restored after a restart) pass at once.

export interface PaceOptions {
  /** The wall clock, ms. */
  now: () => number;
  /** Waits about `ms`; may resolve early or late, pace() re-checks the clock. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** > 0; 1 = real time (default), Infinity = no waiting. */
  speedup?: number;
  /** Stops the pacing: pace() returns before yielding anything else. */
  signal?: AbortSignal;
  /** The sim time that maps to the wall time of the first pull; default the first step's atMs. */
  anchorMs?: number;
}

export async function* pace<T extends { atMs: number }>(
  steps: Iterable<T>,
  opts: PaceOptions,
): AsyncGenerator<T, void, undefined> {
  const speedup = opts.speedup ?? 1;
  if (!(speedup > 0)) throw new Error(`speedup must be > 0 (Infinity allowed), got ${speedup}`);
  const { now, signal } = opts;
  let wallStartMs: number | undefined;
  let anchorMs = opts.anchorMs;
  for (const step of steps) {
    if (signal?.aborted) return;
    wallStartMs ??= now();
    anchorMs ??= step.atMs;
    if (speedup !== Infinity) {
      const dueWallMs = wallStartMs + (step.atMs - anchorMs) / speedup;
      for (let waitMs = dueWallMs - now(); waitMs > 0; waitMs = dueWallMs - now()) {
        await sleepUnlessAborted(opts.sleep, waitMs, signal);
        if (signal?.aborted) return;
      }
    }
    yield step;
  }
}

/** Resolves when the sleep ends or the signal aborts, whichever comes first. */
async function sleepUnlessAborted(
  sleep: PaceOptions["sleep"],
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (signal === undefined) return sleep(ms);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    // A sleep that rejects because of the abort (node:timers/promises does) is not an error here.
    const slept = sleep(ms, signal).catch((error: unknown) => {
      if (!signal.aborted) throw error;
    });
    await Promise.race([slept, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}
