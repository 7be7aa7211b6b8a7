// The load generator's wiring: the only place that constructs things. Reads the config,
// builds the sinks, restores where an earlier run stopped, then feeds the simulation
// (paced to the wall clock in live mode) through the pipeline until done or signalled.

import { pino } from "pino";
import { readEnv } from "../config/env.ts";
import { exitOnConfigError } from "../config/errors.ts";
import { redactUrl } from "../config/redact.ts";
import { loadgenConfig, type LoadgenConfig } from "../config/loadgen.ts";
import { parseCli } from "./cli.ts";
import { openSinks, type OpenedSinks } from "./open-sinks.ts";
import { Pipeline } from "./pipeline.ts";
import { describe, GaveUpError } from "./retry.ts";
import { pace } from "./pace.ts";
import { makeProfile } from "./sim/profiles/index.ts";
import { simulate } from "./sim/simulate.ts";
import { reportProgress } from "./progress.ts";
import { setTimeout as sleep } from "node:timers/promises";

const config = exitOnConfigError(() => loadgenConfig(parseCli(process.argv.slice(2)), readEnv()));
const log = pino({ level: config.logLevel, base: { service: "loadgen" } }, pino.destination(2));
log.info({ config: redacted(config) }, "effective configuration");

const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info({ signal }, "stopping: no new leads; flushing what is in flight");
    stop.abort();
  });
}
if (config.durationSeconds !== undefined) setTimeout(() => stop.abort(), config.durationSeconds * 1000).unref();

let sinks: OpenedSinks;
try {
  sinks = await openSinks(config, log);
} catch (error) {
  // Unreachable after the connect timeout (GaveUpError), or refused outright (a wrong password).
  const message = error instanceof GaveUpError ? error.message : `could not start: ${describe(error)}`;
  log.fatal(message);
  process.stderr.write(`loadgen: ${message}\n`);
  process.exit(1);
}

await using sink = sinks.sink;
const startMs = config.mode === "live" ? Date.now() : Math.max(config.start, (sinks.resume.lastCreatedAtMs ?? -Infinity) + 1);
const steps = simulate({
  seed: config.seed,
  profile: makeProfile(config.profile, {
    controlShare: config.controlShare,
    threshold: config.threshold,
    couponUpliftShare: config.couponUplift,
  }),
  startMs,
  firstLeadId: sinks.resume.lastLeadId + 1,
  ratePerSecond: config.rate,
  leads: config.leads,
  pending: sinks.pending,
});
const pipeline = new Pipeline(sink, {
  maxBuffered: config.mode === "live" ? 10_000 : config.batchSize,
  signal: stop.signal,
  restoredConversions: sinks.pending.length,
});
const paced =
  config.mode === "live"
    ? pace(steps, { now: () => Date.now(), sleep: (ms) => sleep(ms), signal: stop.signal, anchorMs: startMs })
    : steps;

const progress = reportProgress(pipeline, log, { intervalSeconds: config.statsIntervalSeconds, total: config.leads, tty: config.mode === "fast" && process.stderr.isTTY === true });
const started = performance.now();
try {
  const counts = await pipeline.run(paced);
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  log.info({ ...counts, pendingConversions: pipeline.pendingConversions, seconds: Number(seconds.toFixed(3)), peakRssMb }, "done");
} catch (error) {
  // A service gone for longer than the connect timeout, or a refused message: say so and exit
  // non-zero. Everything written so far is durable; a restart continues from it.
  log.fatal({ error: describe(error), leadsWritten: pipeline.counts.leads }, "stopped by an error");
  process.exitCode = 1;
} finally {
  progress.stop();
}

function redacted(c: LoadgenConfig): Record<string, unknown> {
  return { ...c, postgresUrl: redactUrl(c.postgresUrl) };
}
