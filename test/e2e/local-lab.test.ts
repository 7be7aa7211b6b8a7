// The README's "The lab without Docker", step by step, with the README's own commands: start the
// lab with its own state folder and free ports, see non-`unknown` buckets with sane numbers,
// press Ctrl-C and find every process it started gone (by PID), start it again and find it
// continuing, then purge. Needs Debian's Postgres, Java and Maven (skipped with a reason without).

import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withClient } from "../helpers/postgres.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { PRIVATE_STATE_PREFIX } from "../../scripts/leftovers/find.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { repoRoot } from "../helpers/run-tool.ts";
import { freePorts, groupAlive, isAlive, labPids, localLabMissing, startCommand, type LabRun } from "./local-lab-process.ts";

const README = readFileSync(join(repoRoot, "README.md"), "utf8");
const section = README.slice(README.indexOf("## The lab without Docker"), README.indexOf("## How the data flows"));
/** Step number → the command in backticks right after its bold title. */
const steps = new Map([...section.matchAll(/^(\d+)\. \*\*[^*]+\*\*[^`\n]*`([^`]+)`/gm)].map((m) => [Number(m[1]), m[2]!]));

const missing = localLabMissing();
const required = (readEnv().LAB_REQUIRE ?? "").split(",").map((s) => s.trim()).includes("postgres");
if (missing && required) throw new Error(`LAB_REQUIRE names postgres, but the local lab cannot start: ${missing}`);
if (missing) process.stderr.write(`[skip] local lab e2e: ${missing}\n`);

const START_MS = 300_000;
const STOP_MS = 120_000;

describe("the README's lab without Docker", () => {
  it("gives one command per step: start, ask, watch, (Ctrl-C), start again, purge", () => {
    expect(steps.get(1)).toBe("npm run lab");
    expect(steps.get(2)).toMatch(/^psql postgres:\/\/postgres@127\.0\.0\.1:55432\/lab /);
    expect(steps.get(3)).toBe("npm run watch");
    expect(steps.get(5)).toBe("npm run lab");
    expect(steps.get(6)).toBe("bash scripts/services/stop-kafka.sh --purge && bash scripts/services/stop-postgres.sh --purge");
    // Six steps, and the seventh checkpoint, after a SIGKILL, is test/e2e/local-lab-kill.test.ts's.
    expect(section.match(/🏁/g)).toHaveLength(7);
  });
});

describe.skipIf(missing !== undefined)("the lab without Docker, run as the README says", () => {
  let stateDir = "";
  const env: Record<string, string> = {};
  const runs: LabRun[] = [];
  const seenPids = new Set<number>();
  let labUrl = "";

  beforeAll(async () => {
    // Made here, not while collecting: a skipped suite leaves no directory behind.
    stateDir = mkdtempSync(join(tmpdir(), `${PRIVATE_STATE_PREFIX}local-lab-`));
    chmodSync(stateDir, 0o755); // postgres may run as another user and must reach its data
    env.LAB_STATE_DIR = stateDir;
    const [pgPort, kafkaPort, controllerPort] = await freePorts(3);
    Object.assign(env, { LAB_PG_PORT: String(pgPort), LAB_KAFKA_PORT: String(kafkaPort), LAB_KAFKA_CONTROLLER_PORT: String(controllerPort) });
    labUrl = `postgres://postgres@127.0.0.1:${pgPort}/lab`;
    env.WATCH_URL = labUrl;
  });

  afterAll(async () => {
    for (const run of runs) run.kill();
    for (const pid of seenPids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    spawnSync("bash", ["-c", steps.get(6) ?? "true"], { cwd: repoRoot, env: { ...readEnv(), ...env } });
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }, STOP_MS);

  const startLab = (command: string) => {
    const run = startCommand(`${command} -- --rate 5`, env);
    runs.push(run);
    return run;
  };
  const waitReady = (run: LabRun) =>
    expectEventually(async () => run.stderr(), (text) => expect(text).toContain("[lab] started watch"), { timeoutMs: START_MS, describe: "[lab] started watch" });
  const stopAndCheck = async (run: LabRun) => {
    const pids = labPids(run.stderr(), stateDir);
    pids.forEach((pid) => seenPids.add(pid));
    expect([...pids.keys()].sort()).toEqual(["bridge", "kafka", "loadgen", "postgres", "watch"]);
    run.interrupt();
    // npm itself dies of the SIGINT (no exit code, as in a terminal); the lab reports its own.
    await expectEventually(async () => run.stderr(), (text) => expect(text).toContain("[lab] stopped (exit 0)"), { timeoutMs: STOP_MS, describe: "[lab] stopped (exit 0)" });
    expect(run.stderr()).toContain("[lab] bridge: every prediction sent is stored");
    await expectEventually(async () => [...pids].filter(([, pid]) => isAlive(pid)), (alive) => expect(alive, "processes still alive").toEqual([]), { timeoutMs: 10_000 });
    expect(groupAlive(run.pid), "a process of the lab's group is still alive").toBe(false);
  };
  const runScript = (command: string) => {
    const result = spawnSync("bash", ["-c", command], { cwd: repoRoot, env: { ...readEnv(), ...env }, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
  };

  it("step 1: starts everything with the default scenario, and the view shows settled windows of both buckets", async () => {
    const run = startLab(steps.get(1)!);
    await waitReady(run);
    expect(run.stderr()).toContain("[lab] scenario: tour");
    await expectEventually(async () => run.stdout(), (text) => {
      expect(text).toMatch(/bucket=control leads=\d+ precision=\d/);
      expect(text).toMatch(/bucket=experiment leads=\d+ precision=\d/);
    }, { timeoutMs: START_MS, describe: "the view's plain lines for both buckets" });
  }, 2 * START_MS);

  it("step 2: the README's psql command reads non-unknown buckets with sane numbers", async () => {
    const command = steps.get(2)!.replace("127.0.0.1:55432", `127.0.0.1:${env.LAB_PG_PORT}`);
    const result = spawnSync("bash", ["-c", `${command} --csv --tuples-only`], { cwd: repoRoot, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const rows = result.stdout.trim().split("\n").filter((line) => line.includes(",")).map((line) => line.split(","));
    expect(rows).toHaveLength(4);
    for (const [, bucket, leads, precision, recall, f1, net] of rows as string[][]) {
      expect(["control", "experiment"]).toContain(bucket);
      expect(Number(leads)).toBeGreaterThan(0);
      for (const ratio of [precision, recall, f1].filter((value) => value !== "")) {
        expect(Number(ratio)).toBeGreaterThanOrEqual(0);
        expect(Number(ratio)).toBeLessThanOrEqual(1);
      }
      expect(Math.abs(Number(net))).toBeLessThan(1_000);
    }
  });

  it("step 3: `npm run watch` shows the same buckets from a second terminal, and stops on Ctrl-C", async () => {
    const watch = startCommand(steps.get(3)!, env);
    runs.push(watch);
    await expectEventually(async () => watch.stdout(), (text) => expect(text).toMatch(/bucket=control leads=\d+/), { timeoutMs: 240_000, describe: "the watch's lines" });
    watch.interrupt();
    await watch.exited; // npm dies of the SIGINT, as in a terminal: what counts is that nothing is left
    await expectEventually(async () => groupAlive(watch.pid), (alive) => expect(alive, "the watch's processes").toBe(false), { timeoutMs: 10_000 });
  }, 300_000);

  it("step 4: Ctrl-C stops every process the lab started, checked by PID", async () => {
    await stopAndCheck(runs[0]!);
  }, STOP_MS * 2);

  it("step 5: a second start continues where the first stopped, and stores each prediction once", async () => {
    runScript("bash scripts/services/start-postgres.sh");
    const leadsBefore = await countLeads();
    runScript("bash scripts/services/stop-postgres.sh");
    expect(leadsBefore).toBeGreaterThan(0);
    const run = startLab(steps.get(5)!);
    await waitReady(run);
    await expectEventually(countLeads, (n) => expect(n).toBeGreaterThan(leadsBefore + 20), { timeoutMs: 60_000, describe: "new leads" });
    const loadgenLog = readFileSync(join(stateDir, "logs", "loadgen.log"), "utf8");
    expect(loadgenLog).toContain(`"nextLeadId":${leadsBefore + 1}`);
    await stopAndCheck(run);
    // Everything stopped: the raw table holds each prediction the generator sent exactly once.
    runScript("bash scripts/services/start-postgres.sh");
    const counts = await query("select count(*)::int as raw, count(distinct \"text\")::int as distinct_texts, (select count(*)::int from leads) as leads from conversion_predictions_raw");
    expect(counts).toEqual({ raw: counts.leads, distinct_texts: counts.leads, leads: counts.leads });
  }, 2 * START_MS);

  async function countLeads(): Promise<number> {
    return (await query("select count(*)::int as n from leads")).n as number;
  }

  async function query(text: string): Promise<Record<string, unknown>> {
    return withClient(labUrl, async (client) => (await client.query(text)).rows[0] as Record<string, unknown>);
  }

  it("step 6: the purge command deletes the lab's database and topics", () => {
    const result = spawnSync("bash", ["-c", steps.get(6)!], { cwd: repoRoot, env: { ...readEnv(), ...env }, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(stateDir, "kafka", "data"))).toBe(false);
    expect(existsSync(join(stateDir, "postgres"))).toBe(false);
  });
});
