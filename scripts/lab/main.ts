// npm run lab -- [--scenario <name>] [--rate <leads/s>]
//
// The lab without Docker, in one command: starts the lab's Postgres and Kafka
// (scripts/services), creates and migrates database `lab` (targets postgres, reference, kafka),
// then runs the generator (live), the bridge (Kafka → the reference engine's raw table) and
// the terminal view (npm run watch). Ctrl-C stops what it started, in order; a rerun continues
// where it stopped (the generator from its last lead, the bridge from its stored offsets).
// Exit codes: 0 stopped by Ctrl-C/SIGTERM; 1 something failed (the message says what); 2 bad
// configuration. Logs of the generator and the bridge: <state dir>/logs/.

import { Command } from "commander";
import { parseCommandLine } from "../../config/cli.ts";
import { readEnv } from "../../config/env.ts";
import { exitOnConfigError } from "../../config/errors.ts";
import { labConfig, LAB_SETTINGS, type LabConfig } from "../../config/lab.ts";
import { addOptions, type CliValues } from "../../config/settings.ts";
import { REPO_ROOT } from "../migrate/run.ts";
import { logFile, startChild, type LabChild } from "./children.ts";
import { ensureLabDatabase, migrateLab } from "./database.ts";
import { serviceUrls, startService, stopService, type ServiceName, type ServiceUrls } from "./services.ts";

const env = readEnv();
const program = addOptions(new Command("lab").description("The lab without Docker: services, generator, bridge and a live view."), LAB_SETTINGS);
const config = exitOnConfigError(() => labConfig(parseCommandLine<CliValues<typeof LAB_SETTINGS>>(program, process.argv.slice(2)), env, REPO_ROOT));
const say = (line: string) => process.stderr.write(`[lab] ${line}\n`);

const startedServices: ServiceName[] = [];
const children: LabChild[] = [];
let stopRequested: string | undefined;
const stopSignal = new Promise<string>((resolve) => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopRequested === undefined) say(`${signal}: stopping what the lab started`);
      stopRequested ??= signal;
      resolve(signal);
    });
  }
});
// Last resort, should the lab itself die: leave no child behind.
process.on("exit", () => children.filter((c) => c.isRunning()).forEach((c) => process.kill(c.pid, "SIGKILL")));

let exitCode = 0;
try {
  const urls = await startServices();
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
}
say(`stopped (exit ${exitCode})`);
process.exit(exitCode);

async function startServices(): Promise<ServiceUrls> {
  for (const name of ["postgres", "kafka"] as const) {
    if (stopRequested !== undefined) break;
    if (await startService(name, REPO_ROOT, env, (line) => say(line))) startedServices.push(name);
  }
  return serviceUrls(REPO_ROOT, env);
}

/** Starts the three processes; returns when Ctrl-C arrives (0) or one of them exits early (1). */
async function runUntilStopped(c: LabConfig, labUrl: string, urls: ServiceUrls): Promise<number> {
  const loadgenUrl = asRole(labUrl, "lab_loadgen", c.loadgenPgPassword);
  const bridgeUrl = asRole(labUrl, "lab_bridge", c.bridgePgPassword);
  const brokers = urls.brokers.join(",");
  const loadgenArgs = ["--mode", "live", "--postgres-url", loadgenUrl.toString(), "--kafka-brokers", brokers];
  if (c.loadgenScenario !== undefined) loadgenArgs.push("--scenario", c.loadgenScenario);
  if (c.rate !== undefined) loadgenArgs.push("--rate", String(c.rate));
  const logs = { logDir: c.logDir };
  children.push(startChild(REPO_ROOT, { name: "loadgen", entry: "loadgen/main.ts", args: loadgenArgs, env, output: logs }));
  children.push(startChild(REPO_ROOT, { name: "bridge", entry: "bridge/main.ts", args: ["--postgres-url", bridgeUrl, "--kafka-brokers", brokers], env, output: logs }));
  for (const child of children) say(`started ${child.name} (PID ${child.pid}, log: ${logFile(c.logDir, child.name)})`);
  say(`scenario: ${c.loadgenScenario ?? "none (the generator has no scenarios)"}`);
  say(`ready: the reference engine is ${labUrl} (README, "The lab without Docker", step 2, reads it)`);
  const view = startChild(REPO_ROOT, { name: "watch", entry: "watch/main.ts", args: ["--url", labUrl], env, output: "terminal" });
  children.push(view);
  say(`started watch (PID ${view.pid}); Ctrl-C stops the lab`);
  const early = Promise.race(children.map(async (child) => ({ child, code: await child.exited })));
  const outcome = await Promise.race([stopSignal, early]);
  if (typeof outcome === "string") return 0;
  say(`error: ${outcome.child.name} exited early (${outcome.code}); see ${logFile(c.logDir, outcome.child.name)}`);
  return 1;
}

/** The lab's database as one of its least-privileged roles (postgres/40_roles.sql, bridge/schema/). */
function asRole(labUrl: string, role: string, password: string): string {
  const url = new URL(labUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

/** The generator first (no new leads), then the bridge (nothing left to copy), then the view, then the services. */
async function stopEverything(): Promise<void> {
  for (const child of children) {
    const code = await child.stop();
    say(`${child.name} stopped (${code})`);
  }
  for (const name of [...startedServices].reverse()) {
    await stopService(name, REPO_ROOT, env, (line) => say(line)).catch((error: unknown) => say(`stopping ${name} failed: ${(error as Error).message}`));
  }
}
