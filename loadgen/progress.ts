// Periodic throughput logs, and a one-line progress bar when fast mode runs on a terminal.

import type { Logger } from "pino";
import type { Pipeline } from "./pipeline.ts";

export function reportProgress(
  pipeline: Pipeline,
  log: Logger,
  options: { intervalSeconds: number; total: number | undefined; tty: boolean },
): { stop(): void } {
  let last = { at: performance.now(), leads: 0, events: 0 };
  const stats = setInterval(() => {
    const now = performance.now();
    const seconds = (now - last.at) / 1000;
    const { leads, events } = pipeline.counts;
    log.info(
      {
        leads,
        leadsPerSecond: Math.round((leads - last.leads) / seconds),
        eventsPerSecond: Math.round((events - last.events) / seconds),
        pendingConversions: pipeline.pendingConversions,
        rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
      },
      "throughput",
    );
    last = { at: now, leads, events };
  }, options.intervalSeconds * 1000);
  stats.unref();
  const bar = options.tty
    ? setInterval(() => {
        const { leads } = pipeline.counts;
        const share = options.total ? ` ${((100 * leads) / options.total).toFixed(1)}%` : "";
        process.stderr.write(`\r${leads} leads${share}, ${pipeline.pendingConversions} conversions pending   `);
      }, 250)
    : undefined;
  bar?.unref();
  return {
    stop() {
      clearInterval(stats);
      if (bar) {
        clearInterval(bar);
        process.stderr.write("\n");
      }
    },
  };
}
