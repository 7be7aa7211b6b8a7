// The watch's reading loops: the headline (classifier_metrics) every refresh, and each optional
// view on a loop of its own (back to back when its read takes longer than a refresh, at most once
// per refresh otherwise), each on its own connection (watch/sources.ts). A slow view (seconds on
// the reference engine) then never delays the headline; its panel shows the age of its reading.

import { setTimeout as sleep } from "node:timers/promises";
import type { MetricsRow } from "./model.ts";
import type { ViewRow } from "./render.ts";
import type { Reading, Source } from "./sources.ts";

export interface LoopHandlers {
  headline(reading: Reading<MetricsRow>): void;
  /** The headline could not be read (a restarting engine); the loop keeps trying. */
  headlineFailed(error: unknown): void;
  panel(view: string, reading: Reading<ViewRow>): void;
}

/** Runs until `signal` aborts and every read in flight has ended (closing the source ends them). */
export async function runReadingLoops(source: Source, refreshMs: number, signal: AbortSignal, on: LoopHandlers): Promise<void> {
  const headline = async () => {
    try {
      on.headline(await source.readHeadline());
    } catch (error) {
      if (!signal.aborted) on.headlineFailed(error);
    }
  };
  const panel = (view: string) => async () => {
    // readPanel reports a view's own errors; what is left here is a closed connection (stopping).
    const reading = await source.readPanel(view).catch(() => undefined);
    if (reading !== undefined && !signal.aborted) on.panel(view, reading);
  };
  await Promise.all([repeat(headline, refreshMs, signal), ...source.presentViews.map((view) => repeat(panel(view), refreshMs, signal))]);
}

/** Runs `step` until `signal` aborts, starting it at most once per `periodMs`. */
async function repeat(step: () => Promise<void>, periodMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const startedMs = performance.now();
    await step();
    const waitMs = periodMs - (performance.now() - startedMs);
    if (waitMs > 0) await sleep(waitMs, undefined, { signal }).catch(() => {});
  }
}
