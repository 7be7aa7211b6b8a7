// npm run evaluate -- --scenario <name|file> [--seed S] [--duration D] [--rate R] --url <postgres>
//                     [--json] [--report <dir>]
//
// Runs the scenario in fast mode into the reference engine at --url (an empty database, or one
// evaluate used before: it is reset), reads every window of the alerts, scores them against
// the ground truth (evaluate/score.ts) and prints, per incident, its kind, start, end, first
// detection, delay and the rules that fired, then the false alerts. --json prints one JSON
// object instead; --report also writes an HTML report with charts (reads the signals too).
// Exit codes: 0 done (whatever the score: CI judges it); 1 a service failed; 2 bad configuration.

import { Command } from "commander";
import pg from "pg";
import { parseCommandLine } from "../config/cli.ts";
import { evaluateConfig, EVALUATE_SETTINGS, type EvaluateConfig } from "../config/evaluate.ts";
import { ConfigError, exitOnConfigError } from "../config/errors.ts";
import { addOptions, type CliValues } from "../config/settings.ts";
import { loadScenario, checkScenarioForRun, type Scenario } from "../loadgen/scenarios/load.ts";
import { describe } from "../loadgen/retry.ts";
import { runJson, runTable } from "./output.ts";
import { prepareDatabase } from "./prepare-database.ts";
import { configureSession, readFirings, readIncidents, readSignals, readTimesMs } from "./read-run.ts";
import type { EvaluatedRun } from "./run-data.ts";
import { runScenarioFast } from "./run-scenario.ts";
import { firstScoredMs, scoreRun } from "./score.ts";
import { defaultDurationSeconds } from "./duration.ts";

const START_MS = Date.UTC(2026, 0, 1);
/** Written by another module's owner; imported only when --report asks for it. */
const REPORT_MODULE = "./report/index.ts";

const program = addOptions(new Command("evaluate").description("Scores a scenario's alerts against its ground truth."), EVALUATE_SETTINGS)
  .option("--json", "print one JSON object (scenario, seed, incidents, false_alerts) instead of the table");
const config = exitOnConfigError(() => evaluateConfig(parseCommandLine<CliValues<typeof EVALUATE_SETTINGS> & { json?: boolean }>(program, process.argv.slice(2))));
const scenario = exitOnConfigError(() => loadScenario(config.scenario));
const durationSeconds = config.duration ?? defaultDurationSeconds(scenario);
exitOnConfigError(() => checkScenarioForRun(scenario, { profile: "default", runSeconds: durationSeconds }));

try {
  const run = await evaluate(config, scenario, durationSeconds);
  process.stdout.write(config.json ? `${runJson(run)}\n` : runTable(run));
  if (config.report !== undefined) {
    const { writeReport } = (await import(REPORT_MODULE)) as { writeReport: (run: EvaluatedRun, dir: string) => Promise<void> };
    await writeReport(run, config.report);
    process.stderr.write(`evaluate: report written to ${config.report}\n`);
  }
} catch (error) {
  if (error instanceof ConfigError) exitOnConfigError(() => {
    throw error;
  });
  process.stderr.write(`evaluate: ${describe(error)}\n`);
  process.exitCode = 1;
}

async function evaluate(cfg: EvaluateConfig, sc: Scenario, seconds: number): Promise<EvaluatedRun> {
  const log = (line: string) => process.stderr.write(`evaluate: ${line}\n`);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  await prepareDatabase(cfg.url);
  const fast = await runScenarioFast({ url: cfg.url, scenario: sc, seed: cfg.seed, durationSeconds: seconds, ratePerSecond: cfg.rate, startMs: START_MS });
  log(`ran ${sc.name}: ${fast.leads} leads over ${seconds} simulated s at ${cfg.rate}/s (${elapsed()})`);
  const client = new pg.Client({ connectionString: cfg.url, application_name: "lab-evaluate" });
  await client.connect();
  try {
    await client.query("analyze");
    await configureSession(client);
    const truth = await readIncidents(client, fast.runId);
    const times = readTimesMs(cfg.report === undefined ? firstScoredMs(fast.startedAtMs, truth) : fast.startedAtMs, fast.endedAtMs);
    const firings = await readFirings(client, times, fast.endedAtMs);
    log(`read the alerts at ${times.length} times: ${firings.length} firing windows (${elapsed()})`);
    const signals = cfg.report === undefined ? [] : await readSignals(client, times, fast.endedAtMs);
    const span = { startedAtMs: fast.startedAtMs, endedAtMs: fast.endedAtMs };
    const scored = scoreRun(truth, firings, span);
    return {
      scenario: sc.name, seed: cfg.seed, run_started_at: new Date(fast.startedAtMs), run_ended_at: new Date(fast.endedAtMs),
      ...scored, firings: firings.map(({ rule_name, window_end, value, threshold }) => ({ rule_name, window_end, value, threshold })), signals,
    };
  } catch (error) {
    throw new Error(`reading the run back: ${describe(error)}`, { cause: error });
  } finally {
    await client.end().catch(() => {});
  }
}
