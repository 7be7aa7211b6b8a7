// npm run bench: the load generator in fast mode with every write going to real Postgres and
// Kafka — those named by LAB_PG_URL / LAB_KAFKA_BROKERS, else the lab's own (started with
// scripts/services/start-*.sh). Prints leads/s, events/s and the generator's peak memory, then
// the floor for the same leads on the same server (bench-floor.ts: the work the target counts as
// the least any design must do) and the generator's share of it, then the floor with every
// conversion written with its lead (no UPDATE) and that share, and ends with `leads/s: <number>`.
// `--live-seconds N` instead runs live mode at the default rate for N seconds (600 for the
// check the README quotes) and prints the generator's memory at its start and end.
// Measures; asserts nothing.
// Cleans up after itself whatever happens: its database and topic are deleted, and a service it
// had to start (none was running) is stopped again.

import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, totalmem } from "node:os";
import pg from "pg";
import { loadTestServicesConfig } from "../config/test-services.ts";
import { deleteTopics, TEST_TOPIC_PREFIX } from "../test/helpers/kafka.ts";
import { labDatabase } from "../test/helpers/lab-database.ts";
import { runTool, type ToolResult } from "../test/helpers/run-tool.ts";
import { parseArgs } from "node:util";
import { measureFloorSeconds, readFloorRows, type FloorKind } from "./bench-floor.ts";
import { reportLiveMemory, runLive } from "./bench-live.ts";
import { withClient } from "../test/helpers/postgres.ts";

const USAGE = `usage: npm run bench [-- options]
  --leads N          leads in the fast run (default 200000)
  --seed TEXT        the run seed (default bench)
  --floor-runs N     times the floor is measured; the median is used (default 3)
  --live-seconds N   instead: live mode at the default rate for N seconds, memory at start and end
  --help             this text`;

const values = parseBenchArgs();
const services = loadTestServicesConfig();
const startedHere: string[] = [];
const topic = `${TEST_TOPIC_PREFIX}bench_${Date.now().toString(36)}`;
let brokers = "";

// SIGTERM/SIGINT stop the generator (which flushes and exits), then the database is dropped:
// an interrupted bench leaves no process and no database behind, and measures nothing.
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop.abort(signal));

try {
  const pgUrl = services.pgUrl ?? startService("postgres", "LAB_PG_URL");
  brokers = services.kafkaBrokers?.join(",") ?? startService("kafka", "LAB_KAFKA_BROKERS");
  await using db = await labDatabase(pgUrl);
  const env = { POSTGRES_URL: db.loadgenUrl, KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic };
  const liveSeconds = values["live-seconds"];
  const run = liveSeconds === undefined
    ? await runTool(
        "loadgen/main.ts",
        ["--mode", "fast", "--profile", "default", "--seed", values.seed, "--leads", values.leads, "--stats-interval-seconds", "5"],
        { env, timeoutMs: 30 * 60_000, abort: stop.signal },
      )
    : await runLive(Number(liveSeconds), env, stop.signal);
  if (stop.signal.aborted) {
    console.error(`bench: stopped by ${String(stop.signal.reason)}; nothing measured`);
    process.exitCode = stop.signal.reason === "SIGINT" ? 130 : 143;
  } else {
    if (liveSeconds === undefined) await report(run, db.adminUrl, pgUrl);
    else reportLiveMemory(run);
  }
} finally {
  if (brokers) await deleteTopics(brokers.split(","), [topic]).catch((error: unknown) => console.error(`could not delete topic ${topic}: ${String(error)}`));
  for (const service of startedHere.reverse()) execFileSync("bash", [`scripts/services/stop-${service}.sh`], { stdio: ["ignore", "inherit", "inherit"] });
}

async function report(run: ToolResult, adminUrl: string, serverUrl: string): Promise<void> {
  if (run.code !== 0) throw new Error(`loadgen failed (${run.code}):\n${run.stderr}`);
  const done = run.stderr.split("\n").filter((l) => l.includes('"msg":"done"')).map((l) => JSON.parse(l) as DoneLine)[0];
  if (!done) throw new Error(`no "done" line from loadgen:\n${run.stderr}`);
  await checkRowCount(adminUrl, Number(values.leads));

  const floors = await measureFloors(adminUrl, serverUrl);
  const floorSeconds = floors.update;
  const leadsPerSecond = done.leads / done.seconds;
  const floorLeadsPerSecond = done.leads / median(floorSeconds);
  const withLeadLeadsPerSecond = done.leads / median(floors["with-lead"]);
  console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
  console.log(`postgres: ${await durability(adminUrl)}`);
  console.log(`leads: ${done.leads} in ${done.seconds.toFixed(2)} s (Postgres + Kafka, acks=all, batch 1000)`);
  console.log(`events/s: ${Math.round(done.events / done.seconds)}`);
  console.log(`peak memory (loadgen RSS): ${done.peakRssMb} MB`);
  console.log(`floor: ${Math.round(floorLeadsPerSecond)} leads/s (median of ${floorSeconds.map((s) => s.toFixed(2)).join(", ")} s: COPY leads, COPY coupons, one UPDATE for the conversions, one commit)`);
  console.log(`generator / floor: ${(leadsPerSecond / floorLeadsPerSecond).toFixed(2)}`);
  console.log(`floor with every conversion in its lead's row, no UPDATE: ${Math.round(withLeadLeadsPerSecond)} leads/s (median of ${floors["with-lead"].map((s) => s.toFixed(2)).join(", ")} s)`);
  console.log(`generator / that floor: ${(leadsPerSecond / withLeadLeadsPerSecond).toFixed(2)} (the generator writes a conversion due within its lead's batch with the lead)`);
  console.log(`leads/s: ${Math.round(leadsPerSecond)}`);
}

/** Both floors, `--floor-runs` times each, in turn, into the same fresh database (emptied between runs). */
async function measureFloors(generatorDbUrl: string, serverUrl: string): Promise<Record<FloorKind, number[]>> {
  const rows = await readFloorRows(generatorDbUrl);
  await using empty = await labDatabase(serverUrl);
  const seconds: Record<FloorKind, number[]> = { update: [], "with-lead": [] };
  for (let run = 0; run < Number(values["floor-runs"]); run++) {
    for (const kind of ["update", "with-lead"] as const) seconds[kind].push(await measureFloorSeconds(empty.adminUrl, rows, kind));
  }
  return seconds;
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

async function durability(url: string): Promise<string> {
  const settings = ["fsync", "synchronous_commit", "full_page_writes", "server_version"];
  return withClient(url, async (c) => {
    const values: string[] = [];
    for (const name of settings) values.push(`${name}=${(await c.query<Record<string, string>>(`show ${name}`)).rows[0]![name]}`);
    return values.join(", ");
  });
}

interface DoneLine { leads: number; events: number; seconds: number; peakRssMb: number }

/** Starts the lab's own service unless it runs already; one started here is stopped at the end. */
function startService(service: "postgres" | "kafka", variable: string): string {
  const output = execFileSync("bash", [`scripts/services/start-${service}.sh`], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (!output.includes("already running")) startedHere.push(service);
  const line = output.split("\n").find((l) => l.startsWith(`${variable}=`));
  if (!line) throw new Error(`start-${service}.sh printed no ${variable}=… line`);
  return line.slice(variable.length + 1);
}

async function checkRowCount(url: string, expected: number): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  const { rows } = await client.query<{ n: number }>("select count(*)::int as n from leads");
  await client.end();
  if (rows[0]?.n !== expected) throw new Error(`expected ${expected} leads in Postgres, found ${rows[0]?.n}`);
}

/** The options, checked: a bad one exits 2 naming the flag and what is allowed (no stack trace). */
function parseBenchArgs() {
  const refuse = (message: string): never => {
    console.error(`bench: ${message}\n${USAGE}`);
    process.exit(2);
  };
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        leads: { type: "string", default: "200000" },
        seed: { type: "string", default: "bench" },
        "floor-runs": { type: "string", default: "3" },
        "live-seconds": { type: "string" },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    return refuse((error as Error).message);
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  for (const flag of ["leads", "floor-runs", "live-seconds"] as const) {
    const text = parsed[flag];
    if (text !== undefined && !/^[1-9][0-9]*$/.test(text)) refuse(`--${flag} must be a whole number above 0, got ${JSON.stringify(text)}`);
  }
  return parsed;
}
