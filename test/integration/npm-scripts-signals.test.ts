// The long-running npm scripts, started the way the README and docs/running-the-lab.md say
// (`npm run loadgen -- ...`), stop cleanly when the npm process gets SIGTERM or SIGINT: no
// process of the tree (npm, a shell, tsx, node) survives, the exit is clean, and what the
// generator counted as written is all there (stdout complete, or every lead in Postgres).
// Before the fix, `kill -TERM <npm pid>` left `tsx` and the generator running as orphans.

import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { labDatabase } from "../helpers/lab-database.ts";
import { withClient } from "../helpers/postgres.ts";
import { descendantsOf, isAlive, type ProcessId } from "../helpers/process-tree.ts";
import { repoRoot } from "../helpers/run-tool.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();
const kafka = await useKafka();

interface NpmRun {
  npm: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ProcessId[] = [];

function npmRun(args: readonly string[], env: Record<string, string> = {}): NpmRun {
  const npm = spawn("npm", ["run", ...args], { cwd: repoRoot, env: { ...readEnv(), LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  npm.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  npm.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.on("close", (code, signal) => resolve({ code, signal })),
  );
  return { npm, stdout: () => stdout, stderr: () => stderr, exit };
}

/** The whole tree under npm once the generator is up, remembered so afterEach can stop survivors. */
async function treeOnceRunning(run: NpmRun, ready: RegExp): Promise<ProcessId[]> {
  await expectEventually(async () => run.stderr(), (stderr) => expect(stderr).toMatch(ready), {
    timeoutMs: 60_000,
    describe: `the generator logs ${ready}`,
  });
  const tree = [{ pid: run.npm.pid!, startTicks: "", command: "npm" }, ...descendantsOf(run.npm.pid!)];
  started.push(...tree.slice(1));
  return tree;
}

/** Signals the npm process only (by PID, as `kill -TERM <pid>` does), then waits for the tree to end. */
async function stopByPid(run: NpmRun, signal: NodeJS.Signals, tree: readonly ProcessId[]) {
  process.kill(run.npm.pid!, signal);
  const exit = await Promise.race([run.exit, sleep(20_000).then(() => undefined)]);
  // Give an orphan every chance to be gone before calling it a survivor.
  let survivors = tree.slice(1).filter(isAlive);
  for (let waited = 0; survivors.length > 0 && waited < 5_000; waited += 250) {
    await sleep(250);
    survivors = survivors.filter(isAlive);
  }
  return { exit, survivors };
}

afterEach(() => {
  for (const p of started.splice(0)) if (isAlive(p)) process.kill(p.pid, "SIGKILL");
});

describe("npm run loadgen, stopped by a signal to the npm process", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("stops on %s with no process of the tree left, exit 0, and its stdout complete", async (signal) => {
    const run = npmRun(["--silent", "loadgen", "--", "--mode", "live", "--rate", "200", "--sink", "stdout", "--stats-interval-seconds", "1"]);
    const tree = await treeOnceRunning(run, /"msg":"throughput"/);
    expect(tree.some((p) => p.command.includes("loadgen/main.ts")), JSON.stringify(tree)).toBe(true);

    const { exit, survivors } = await stopByPid(run, signal, tree);
    expect(survivors, "processes of the npm tree still running").toEqual([]);
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null });

    const done = JSON.parse(run.stderr().split("\n").find((line) => line.includes('"msg":"done"')) ?? "null") as { leads: number } | null;
    expect(done, run.stderr()).not.toBeNull();
    const lines = run.stdout().split("\n").filter(Boolean);
    const events = lines.map((line) => JSON.parse(line) as { type: string });
    expect(run.stdout().endsWith("\n"), "the last line is whole").toBe(true);
    expect(events.filter((e) => e.type === "lead").length, "every lead the generator counted is on stdout").toBe(done?.leads);
  });

  it.skipIf(!postgres.available)("stops on SIGTERM with every lead it counted committed in Postgres", async () => {
    if (!postgres.available) return;
    await using db = await labDatabase(postgres.adminUrl);
    const run = npmRun(["loadgen", "--", "--mode", "live", "--rate", "200", "--sink", "postgres", "--stats-interval-seconds", "1"], { POSTGRES_URL: db.loadgenUrl });
    const tree = await treeOnceRunning(run, /"msg":"throughput"/);
    const { exit, survivors } = await stopByPid(run, "SIGTERM", tree);
    expect(survivors, "processes of the npm tree still running").toEqual([]);
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
    const done = JSON.parse(run.stderr().split("\n").find((line) => line.includes('"msg":"done"')) ?? "null") as { leads: number } | null;
    const [row] = await withClient(db.adminUrl, async (c) => (await c.query<{ leads: number }>("select count(*)::int as leads from leads")).rows);
    expect(done?.leads, run.stderr()).toBeGreaterThan(0);
    expect(row?.leads).toBe(done?.leads);
  });
});


describe("the other npm scripts that wait for a while, stopped by SIGTERM to the npm process", () => {
  it.each([
    ["provision", ["provision"], { METABASE_URL: "http://127.0.0.1:9", METABASE_TIMEOUT_SECONDS: "120" }, /waiting for Metabase to be healthy/],
    ["migrate --target kafka", ["migrate", "--", "--target", "kafka"], { KAFKA_BROKERS: "127.0.0.1:9", MIGRATE_CONNECT_TIMEOUT_SECONDS: "120" }, /waiting for Kafka/],
  ] as const)("npm run %s ends with its whole tree, terminated by the SIGTERM (nothing to flush)", async (_name, args, env, waiting) => {
    const run = npmRun(args, env);
    const tree = await treeOnceRunning(run, waiting);
    const { exit, survivors } = await stopByPid(run, "SIGTERM", tree);
    expect(survivors, "processes of the npm tree still running").toEqual([]);
    // npm passes the child's fate on: it ends by the same signal (a shell shows exit status 143).
    expect(exit, run.stderr()).toEqual({ code: null, signal: "SIGTERM" });
  });
});

describe.skipIf(!postgres.available || !kafka.available)("npm run bench, stopped by SIGTERM to the npm process", () => {
  it("stops its generator, drops its database and exits 143 saying nothing was measured", async () => {
    if (!postgres.available || !kafka.available) return;
    const labDatabases = () => withClient(postgres.adminUrl, async (c) =>
      (await c.query<{ name: string }>("select datname as name from pg_database where datname like 'lab_test_%' order by 1")).rows.map((r) => r.name));
    const before = await labDatabases();
    const run = npmRun(["--silent", "bench", "--", "--leads", "5000000"], {
      LAB_PG_URL: postgres.adminUrl, LAB_KAFKA_BROKERS: kafka.brokers.join(","),
    });
    await expectEventually(async () => descendantsOf(run.npm.pid!), (tree) => expect(tree.map((p) => p.command).join("\n")).toContain("loadgen/main.ts"), {
      timeoutMs: 60_000, describe: "bench starts the generator",
    });
    await sleep(2_000); // the generator is writing
    const tree = [{ pid: run.npm.pid!, startTicks: "", command: "npm" }, ...descendantsOf(run.npm.pid!)];
    started.push(...tree.slice(1));
    const { exit, survivors } = await stopByPid(run, "SIGTERM", tree);
    expect(survivors, "processes of the npm tree still running").toEqual([]);
    expect(exit, run.stderr()).toEqual({ code: 143, signal: null });
    expect(run.stderr()).toContain("bench: stopped by SIGTERM; nothing measured");
    expect(await labDatabases(), "the bench's database was dropped").toEqual(before);
  });
});
