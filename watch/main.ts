// npm run watch -- [--url <engine>] [--refresh-seconds 1|2] [--trend-windows <n>]
//
// A live terminal view of the lab: per bucket precision, recall, F1 and net revenue per lead in
// the newest settled window (its 5 s grace passed), with a trend line, read every refresh; then
// the newest rows of the signal views and the alerts when those views exist, each read on a loop
// and a connection of its own (watch/loops.ts), so a slow view never delays the headline: each
// panel says how old its reading is. Redrawn in place on a terminal (log-update); plain lines
// when stdout is not a terminal: one per bucket and new window, and a view's rows when they change.
// Exit codes: 0 stopped by Ctrl-C/SIGTERM; 1 the engine could not be read; 2 bad configuration.

import { Command } from "commander";
import logUpdate from "log-update";
import { parseCommandLine } from "../config/cli.ts";
import { readEnv } from "../config/env.ts";
import { exitOnConfigError } from "../config/errors.ts";
import { redactUrl } from "../config/redact.ts";
import { addOptions, type CliValues } from "../config/settings.ts";
import { watchConfig, WATCH_SETTINGS } from "../config/watch.ts";
import { describe } from "../loadgen/retry.ts";
import { canRedraw } from "./changes.ts";
import { runReadingLoops } from "./loops.ts";
import { plainLines, renderTerminal } from "./render.ts";
import { changedPanelLines, panelOf, screenOf, type Readings } from "./screen.ts";
import { openSource, type Source } from "./sources.ts";

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
// Stopping closes every connection at once: a read in flight (seconds, on a busy reference engine) is abandoned.
const openedSource = source;
// `on`, not `once`: log-update's cursor handling re-raises a signal that has no other listener left.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stop.abort();
    closing ??= openedSource.close().catch(() => {});
  });
}
process.stderr.write(`watch: ${source.engine} engine at ${redactUrl(config.url)}; optional views present: ${source.presentViews.join(", ") || "none"}\n`);

const readings: Readings = { headline: undefined, panels: new Map() };
const screenNow = () => screenOf(readings, { engine: openedSource.engine, presentViews: openedSource.presentViews, nowMs: Date.now(), trendWindows: config.trendWindows });
let lastPrintedWindowMs: number | undefined;
/** Per view, the rows last printed: a plain line is printed when a reading shows something new. */
const lastPrintedPanels = new Map<string, string>();
let failures = 0;
await runReadingLoops(source, config.refreshSeconds * 1000, stop.signal, {
  headline(reading) {
    readings.headline = reading;
    failures = 0;
    const screen = screenNow();
    if (tty) return logUpdate(renderTerminal(screen));
    for (const line of plainLines(screen, lastPrintedWindowMs)) process.stdout.write(`${line}\n`);
    lastPrintedWindowMs = screen.buckets[0]?.windowEndMs ?? lastPrintedWindowMs;
  },
  headlineFailed(error) {
    // A restarting engine: say so and keep trying; the lab stops the view when it stops.
    failures += 1;
    const message = `watch: read failed (${failures} in a row): ${describe(error)}`;
    if (tty) logUpdate(message);
    else process.stderr.write(`${message}\n`);
  },
  panel(view, reading) {
    readings.panels.set(view, reading);
    if (tty) return failures === 0 ? logUpdate(renderTerminal(screenNow())) : undefined;
    for (const line of changedPanelLines(panelOf(view, reading, Date.now()), lastPrintedPanels)) process.stdout.write(`${line}\n`);
  },
});
if (tty) logUpdate.done();
await (closing ??= source.close().catch(() => {}));
