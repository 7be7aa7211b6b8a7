// npm run watch -- [--url <engine>] [--refresh-seconds 1|2] [--trend-windows <n>]
//
// A live terminal view of the lab: per bucket precision, recall, F1 and net revenue per lead in
// the newest settled window (its 5 s grace passed), with a trend line, then the newest rows of
// the signal views and the alerts when those views exist. Redrawn in place on a terminal
// (log-update); plain lines, one per bucket and window, when stdout is not a terminal.
// Exit codes: 0 stopped by Ctrl-C/SIGTERM; 1 the engine could not be read; 2 bad configuration.

import { Command } from "commander";
import logUpdate from "log-update";
import { setTimeout as sleep } from "node:timers/promises";
import { parseCommandLine } from "../config/cli.ts";
import { readEnv } from "../config/env.ts";
import { exitOnConfigError } from "../config/errors.ts";
import { redactUrl } from "../config/redact.ts";
import { addOptions, type CliValues } from "../config/settings.ts";
import { watchConfig, WATCH_SETTINGS } from "../config/watch.ts";
import { describe } from "../loadgen/retry.ts";
import { canRedraw } from "./changes.ts";
import { bucketLines, newestSettled, newestSettledWindow } from "./model.ts";
import { plainLines, renderTerminal, type Screen } from "./render.ts";
import { ALERTS_VIEW, openSource, type Readings, type Source } from "./sources.ts";

const MAX_ALERTS_SHOWN = 5;

const program = addOptions(new Command("watch").description("A live terminal view of the lab's newest windows."), WATCH_SETTINGS);
const config = exitOnConfigError(() => watchConfig(parseCommandLine<CliValues<typeof WATCH_SETTINGS>>(program, process.argv.slice(2)), readEnv()));
const tty = canRedraw(process.stdout);
const stop = new AbortController();
let closing: Promise<void> | undefined;

let source: Source;
try {
  source = await openSource(config.url);
} catch (error) {
  process.stderr.write(`watch: could not read ${redactUrl(config.url)}: ${describe(error)}\n`);
  process.exit(1);
}
// Stopping closes the connection at once: a read in flight (seconds, on a busy reference engine) is abandoned.
const openedSource = source;
// `on`, not `once`: log-update's cursor handling re-raises a signal that has no other listener left.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stop.abort();
    closing ??= openedSource.close().catch(() => {});
  });
}
process.stderr.write(`watch: ${source.engine} engine at ${redactUrl(config.url)}; optional views present: ${source.presentViews.join(", ") || "none"}\n`);

let lastPrintedWindowMs: number | undefined;
let failures = 0;
while (!stop.signal.aborted) {
  try {
    const screen = screenOf(await source.read(), Date.now());
    failures = 0;
    if (tty) logUpdate(renderTerminal(screen));
    else {
      for (const line of plainLines(screen, lastPrintedWindowMs)) process.stdout.write(`${line}\n`);
      lastPrintedWindowMs = screen.buckets[0]?.windowEndMs ?? lastPrintedWindowMs;
    }
  } catch (error) {
    if (stop.signal.aborted) break;
    // A restarting engine: say so and keep trying; the lab stops the view when it stops.
    failures += 1;
    const message = `watch: read failed (${failures} in a row): ${describe(error)}`;
    if (tty) logUpdate(message);
    else process.stderr.write(`${message}\n`);
  }
  await sleep(config.refreshSeconds * 1000, undefined, { signal: stop.signal }).catch(() => {});
}
if (tty) logUpdate.done();
await (closing ??= source.close().catch(() => {}));

function screenOf(readings: Readings, nowMs: number): Screen {
  const signals = [...readings.others]
    .filter(([view]) => view !== ALERTS_VIEW)
    .map(([view, rows]) => ({ view, rows: newestSettledWindow(rows as Array<{ window_end: Date }>, nowMs) }));
  const alertRows = readings.others.get(ALERTS_VIEW) as Array<{ window_end: Date }> | undefined;
  return {
    engine: source.engine,
    nowMs,
    buckets: bucketLines(readings.metrics, { nowMs, trendWindows: config.trendWindows }),
    signals,
    alerts: alertRows === undefined ? undefined : newestSettled(alertRows, nowMs, MAX_ALERTS_SHOWN),
  };
}
