// npm run lab -- [--scenario <name>] [--rate <leads/s>]
//
// The lab without Docker, in one command: starts the lab's Postgres and Kafka
// (scripts/services), creates and migrates database `lab` (targets postgres, reference, kafka),
// then runs the generator (live), the bridge (Kafka → the reference engine's raw table) and
// the terminal view (npm run watch). Ctrl-C stops what it started, in order; a rerun continues
// where it stopped (the generator from its last lead, the bridge from its stored offsets).
// Exit codes: 0 stopped by Ctrl-C/SIGTERM/SIGHUP; 1 something failed (the message says what), or
// another lab runs with the same state folder; 2 bad configuration. Logs of the generator and the
// bridge: <state dir>/logs/. Killed without a chance to clean up (SIGKILL), the lab's children stop
// by themselves within seconds, its Postgres and Kafka keep running, and the next `npm run lab`
// reuses them and stops them on its Ctrl-C (scripts/lab/record.ts).

import { Command } from "commander";
import { parseCommandLine } from "../../config/cli.ts";
import { readEnv } from "../../config/env.ts";
import { exitOnConfigError } from "../../config/errors.ts";
import { bridgeConfig } from "../../config/bridge.ts";
import { labConfig, LAB_SETTINGS, type LabConfig } from "../../config/lab.ts";
import { addOptions, type CliValues } from "../../config/settings.ts";
import { REPO_ROOT } from "../migrate/run.ts";
import { logFile, startChild, type LabChild } from "./children.ts";
import { ensureLabDatabase, migrateLab } from "./database.ts";
import { waitForBridgeToCatchUp, type DrainTarget } from "./drain.ts";
import { claimRecord, type ClaimedRecord } from "./record.ts";
import { serviceUrls, startService, stopService, type ServiceName, type ServiceUrls } from "./services.ts";

const env = readEnv();
const program = addOptions(new Command("lab").description("The lab without Docker: services, generator, bridge and a live view."), LAB_SETTINGS);
const config = exitOnConfigError(() => labConfig(parseCommandLine<CliValues<typeof LAB_SETTINGS>>(program, process.argv.slice(2)), env, REPO_ROOT));
const predictionsTopic = exitOnConfigError(() => bridgeConfig({}, env).kafkaTopic);
const say = (line: string) => process.stderr.write(`[lab] ${line}\n`);

/** How long a stopping lab lets the bridge store what the generator sent last. */
const BRIDGE_DRAIN_MS = 30_000;
const startedServices: ServiceName[] = [];
let drainTarget: DrainTarget | undefined;
const children: LabChild[] = [];
let stopRequested: string | undefined;
const stopSignal = new Promise<string>((resolve) => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopRequested === undefined) say(`${signal}: stopping what the lab started`);
      stopRequested ??= signal;
      resolve(signal);
    });
  }
});
// Last resort, should the lab itself die: leave no child behind.
process.on("exit", () => children.filter((c) => c.isRunning()).forEach((c) => process.kill(c.pid, "SIGKILL")));

say(`PID ${process.pid}, state folder ${config.stateDir}`);
const record = await claimRecord(config.stateDir, say).catch((error: unknown) => {
  say(`error: ${(error as Error).message}`);
  process.exit(1);
});

let exitCode = 0;
try {
  const urls = await startServices(record);
  if (stopRequested === undefined) {
    const labUrl = await ensureLabDatabase(urls.adminUrl, say);
    await migrateLab(labUrl, urls.brokers, env, (line) => say(line));
    if (stopRequested === undefined) exitCode = await runUntilStopped(config, labUrl, urls);
  }
} catch (error) {
  say(`error: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await stopEverything();
  record.release();
}
say(`stopped (exit ${exitCode})`);
process.exit(exitCode);

/** Starts each service unless it runs; those it starts, or took over from a killed lab, are its own. */
async function startServices(claimed: ClaimedRecord): Promise<ServiceUrls> {
  for (const name of ["postgres", "kafka"] as const) {
    if (stopRequested !== undefined) break;
    claimed.update({ services: [...startedServices, name] }); // before the script: a kill mid-start leaves it recorded
    const started = await startService(name, REPO_ROOT, env, (line) => say(line));
    if (started || claimed.inherited.includes(name)) startedServices.push(name);
    if (!started && claimed.inherited.includes(name)) say(`${name}: reusing the one the previous lab started`);
    claimed.update({ services: [...startedServices] });
  }
  return serviceUrls(REPO_ROOT, env);
}

/** Starts the three processes; returns when Ctrl-C arrives (0) or one of them exits early (1). */
async function runUntilStopped(c: LabConfig, labUrl: string, urls: ServiceUrls): Promise<number> {
  const loadgenUrl = asRole(labUrl, "lab_loadgen", c.loadgenPgPassword);
  const bridgeUrl = asRole(labUrl, "lab_bridge", c.bridgePgPassword);
  const brokers = urls.brokers.join(",");
  drainTarget = { labUrl, brokers: urls.brokers, topic: predictionsTopic };
  const loadgenArgs = ["--mode", "live", "--postgres-url", loadgenUrl.toString(), "--kafka-brokers", brokers];
  if (c.loadgenScenario !== undefined) loadgenArgs.push("--scenario", c.loadgenScenario);
  if (c.rate !== undefined) loadgenArgs.push("--rate", String(c.rate));
  const logs = { logDir: c.logDir };
  adopt(startChild(REPO_ROOT, { name: "loadgen", entry: "loadgen/main.ts", args: loadgenArgs, env, output: logs }));
  adopt(startChild(REPO_ROOT, { name: "bridge", entry: "bridge/main.ts", args: ["--postgres-url", bridgeUrl, "--kafka-brokers", brokers], env, output: logs }));
  for (const child of children) say(`started ${child.name} (PID ${child.pid}, log: ${logFile(c.logDir, child.name)})`);
  say(`scenario: ${c.loadgenScenario ?? "none (the generator has no scenarios)"}`);
  say(`ready: the reference engine is ${labUrl} (README, "The lab without Docker", step 2, reads it)`);
  const view = adopt(startChild(REPO_ROOT, { name: "watch", entry: "watch/main.ts", args: ["--url", labUrl], env, output: "terminal" }));
  say(`started watch (PID ${view.pid}); Ctrl-C stops the lab`);
  const early = Promise.race(children.map(async (child) => ({ child, code: await child.exited })));
  const outcome = await Promise.race([stopSignal, early]);
  if (typeof outcome === "string") return 0;
  say(`error: ${outcome.child.name} exited early (${outcome.code}); see ${logFile(c.logDir, outcome.child.name)}`);
  return 1;
}

/** A started child: stopped by this lab, and recorded at once for a rerun should this lab be killed. */
function adopt(child: LabChild): LabChild {
  children.push(child);
  record.update({ children: Object.fromEntries(children.map((c) => [c.name, { pid: c.pid, entry: c.entry }])) });
  return child;
}

async function drainBridge(target: DrainTarget): Promise<void> {
  const caughtUp = await waitForBridgeToCatchUp(target, BRIDGE_DRAIN_MS).catch((error: unknown) => {
    say(`could not check the bridge's position: ${(error as Error).message}`);
    return false;
  });
  say(caughtUp ? "bridge: every prediction sent is stored" : `bridge: not caught up after ${BRIDGE_DRAIN_MS / 1000} s; the next run stores the rest`);
}

/** The lab's database as one of its least-privileged roles (postgres/40_roles.sql, bridge/schema/). */
function asRole(labUrl: string, role: string, password: string): string {
  const url = new URL(labUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

/** The generator first (no new leads), then the bridge once it has stored the rest (bounded), then the view, then the services. */
async function stopEverything(): Promise<void> {
  for (const child of children) {
    if (child.name === "bridge" && child.isRunning() && drainTarget) await drainBridge(drainTarget);
    const code = await child.stop();
    say(`${child.name} stopped (${code})`);
  }
  for (const name of [...startedServices].reverse()) {
    await stopService(name, REPO_ROOT, env, (line) => say(line)).catch((error: unknown) => say(`stopping ${name} failed: ${(error as Error).message}`));
  }
}
