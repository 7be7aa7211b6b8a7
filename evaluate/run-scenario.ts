// Runs a scenario in fast mode (the simulated clock, as fast as Postgres takes it) into the
// reference engine: leads, coupons, conversions and the ground truth through the load
// generator's own Postgres sink, each prediction message as raw text into
// conversion_predictions_raw (loadgen/sinks/reference-raw.ts), and the model reference. The
// same simulation as `npm run loadgen -- --mode fast`, without a broker.

import type { Scenario } from "../loadgen/scenarios/load.ts";
import { timelineOf } from "../loadgen/scenarios/load.ts";
import { Pipeline } from "../loadgen/pipeline.ts";
import { controlShareOf, makeProfile } from "../loadgen/sim/profiles/index.ts";
import { referenceDistribution } from "../loadgen/sim/reference.ts";
import { simulate } from "../loadgen/sim/simulate.ts";
import { postgresSink } from "../loadgen/sinks/postgres.ts";
import { referenceRawSink } from "../loadgen/sinks/reference-raw.ts";
import { sinkChain } from "../loadgen/sinks/sink.ts";

export interface FastRunOptions {
  url: string;
  scenario: Scenario;
  seed: string;
  durationSeconds: number;
  ratePerSecond: number;
  startMs: number;
}

export interface FastRun {
  runId: string;
  startedAtMs: number;
  /** The simulated end: start + duration. */
  endedAtMs: number;
  leads: number;
}

const BATCH_LEADS = 5_000;

export async function runScenarioFast(options: FastRunOptions): Promise<FastRun> {
  const retry = { timeoutMs: 10_000, timeoutSetting: "(evaluate: Postgres at --url)" };
  const pg = await postgresSink(options.url, retry);
  await using sink = sinkChain([pg, await referenceRawSink(options.url)]);
  const run = await pg.recordRun({
    seed: options.seed, scenario: options.scenario, proposedStartMs: options.startMs, controlShare: controlShareOf("default"),
  });
  await pg.writeReference(referenceDistribution(makeProfile("default")));
  const leads = Math.round(options.durationSeconds * options.ratePerSecond);
  const steps = simulate({
    seed: options.seed,
    profile: makeProfile("default", {}, timelineOf(options.scenario, run.startedAtMs)),
    startMs: run.startedAtMs,
    firstLeadId: 1,
    ratePerSecond: options.ratePerSecond,
    leads,
  });
  await new Pipeline(sink, { maxBuffered: BATCH_LEADS }).run(steps);
  return { runId: run.runId, startedAtMs: run.startedAtMs, endedAtMs: run.startedAtMs + options.durationSeconds * 1000, leads };
}
