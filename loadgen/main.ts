// The load generator's wiring: the only place that constructs things. Reads the config,
// builds the sinks, restores where an earlier run stopped, then feeds the simulation
// (paced to the wall clock in live mode) through the pipeline until done or signalled. A
// scenario's incidents are placed on the run's clock once the run is found or started.

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
import { controlShareOf, makeProfile } from "./sim/profiles/index.ts";
import { builtInScenarios, scenarioForRun, timelineOf } from "./scenarios/load.ts";
import { referenceDistributionInSlices } from "./sim/reference.ts";
import type { RunAnchor } from "./run-record.ts";
import { simulate } from "./sim/simulate.ts";
import { reportProgress } from "./progress.ts";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";

const cli = exitOnConfigError(() => parseCli(process.argv.slice(2)));
if (cli.listScenarios) {
  for (const { name, description } of builtInScenarios()) process.stdout.write(`${name.padEnd(22)} ${description}\n`);
  process.exit(0);
}
const config = exitOnConfigError(() => loadgenConfig(cli, readEnv()));
const scenario = exitOnConfigError(() => scenarioForRun(config));
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

const profileSettings = { controlShare: config.controlShare, threshold: config.threshold, couponUpliftShare: config.couponUplift };
let sinks: OpenedSinks;
let startMs: number;
let run: RunAnchor;
try {
  sinks = await openSinks(config, log);
  startMs = config.mode === "live" ? Date.now() : Math.max(config.start, (sinks.resume.lastCreatedAtMs ?? -Infinity) + 1);
  run = await sinks.recordRun({
    seed: config.seed, scenario, proposedStartMs: startMs, controlShare: controlShareOf(config.profile, profileSettings),
  });
} catch (error) {
  // Unreachable after the connect timeout (GaveUpError), or refused outright (a wrong password).
  const message = error instanceof GaveUpError ? error.message : `could not start: ${describe(error)}`;
  log.fatal(message);
  process.stderr.write(`loadgen: ${message}\n`);
  process.exit(1);
}

await using sink = sinks.sink;
log.info({ scenario: scenario.name, runId: run.runId, startedAt: new Date(run.startedAtMs).toISOString(), resumed: run.resumed, incidents: scenario.incidents.length }, "scenario");
const steps = simulate({
  seed: config.seed,
  profile: makeProfile(config.profile, profileSettings, timelineOf(scenario, run.startedAtMs)),
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

const referenceWritten = writeModelReference();
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
  await referenceWritten;
}

/** Counts the model reference in slices while the first leads flow, then stores it (Postgres only). */
async function writeModelReference(): Promise<void> {
  const write = sinks.writeReference;
  if (!write) return;
  try {
    const started = performance.now();
    const rows = await referenceDistributionInSlices(makeProfile(config.profile, profileSettings), () => nextTurn());
    const computedMs = Math.round(performance.now() - started);
    await write(rows);
    log.info({ computedMs, writtenMs: Math.round(performance.now() - started) - computedMs, rows: rows.length }, "model reference written");
  } catch (error) {
    log.error({ error: describe(error) }, "could not write the model reference");
    process.exitCode = 1;
  }
}

function redacted(c: LoadgenConfig): Record<string, unknown> {
  return { ...c, postgresUrl: redactUrl(c.postgresUrl) };
}
