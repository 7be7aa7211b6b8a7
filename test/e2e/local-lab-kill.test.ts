// `npm run lab` killed with SIGKILL, so that it cannot clean up: its generator, bridge and view
// stop by themselves within seconds (checked by PID), its Postgres and Kafka keep running, a
// second lab on the same state folder is refused while one runs, and a rerun takes over the
// servers and continues where the killed lab stopped. Then its bridge is SIGKILLed mid-run: the
// lab stops everything (exit 1); a third start continues, and after Ctrl-C the raw table holds
// each prediction the generator sent exactly once. Needs Debian's Postgres, Java and Maven
// (skipped with a reason without).

import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withClient } from "../helpers/postgres.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { PRIVATE_STATE_PREFIX } from "../../scripts/leftovers/find.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { repoRoot } from "../helpers/run-tool.ts";
import { freePorts, groupAlive, isAlive, labPids, localLabMissing, startCommand, type LabRun } from "./local-lab-process.ts";

const missing = localLabMissing();
const required = (readEnv().LAB_REQUIRE ?? "").split(",").map((s) => s.trim()).includes("postgres");
if (missing && required) throw new Error(`LAB_REQUIRE names postgres, but the local lab cannot start: ${missing}`);
if (missing) process.stderr.write(`[skip] local lab kill e2e: ${missing}\n`);

const START_MS = 300_000;
const STOP_MS = 120_000;
/** How long the children of a killed lab may take to notice and stop ("within a few seconds"). */
const ORPHAN_EXIT_MS = 12_000;
const PURGE = "bash scripts/services/stop-kafka.sh --purge && bash scripts/services/stop-postgres.sh --purge";

describe.skipIf(missing !== undefined)("the lab without Docker, killed with SIGKILL", () => {
  let stateDir = "";
  const env: Record<string, string> = {};
  const runs: LabRun[] = [];
  const seenPids = new Set<number>();
  let labUrl = "";
  let killedPids = new Map<string, number>();

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), `${PRIVATE_STATE_PREFIX}local-lab-kill-`));
    chmodSync(stateDir, 0o755); // postgres may run as another user and must reach its data
    const [pgPort, kafkaPort, controllerPort] = await freePorts(3);
    Object.assign(env, { LAB_STATE_DIR: stateDir, LAB_PG_PORT: String(pgPort), LAB_KAFKA_PORT: String(kafkaPort), LAB_KAFKA_CONTROLLER_PORT: String(controllerPort) });
    labUrl = `postgres://postgres@127.0.0.1:${pgPort}/lab`;
  });

  afterAll(async () => {
    for (const run of runs) run.kill();
    for (const pid of seenPids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    spawnSync("bash", ["-c", PURGE], { cwd: repoRoot, env: { ...readEnv(), ...env } });
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }, STOP_MS);

  const startLab = () => {
    const run = startCommand("npm run lab -- --rate 5", env);
    runs.push(run);
    return run;
  };
  const waitReady = (run: LabRun) =>
    expectEventually(async () => run.stderr(), (text) => expect(text).toContain("[lab] started watch"), { timeoutMs: START_MS, describe: "[lab] started watch" });
  const labPidOf = (run: LabRun) => Number(/\[lab\] PID (\d+),/.exec(run.stderr())?.[1]);
  const alive = (pids: Map<string, number>, names: string[]) => names.filter((name) => isAlive(pids.get(name)!));

  it("leaves no generator, bridge or view behind, by PID, a few seconds after the lab is SIGKILLed; its servers keep running", async () => {
    const run = startLab();
    await waitReady(run);
    await expectEventually(() => query("select count(*)::int as n from conversion_predictions_raw"), (row) => expect(row.n).toBeGreaterThan(10), { timeoutMs: 60_000, describe: "predictions copied by the bridge" });
    killedPids = labPids(run.stderr(), stateDir);
    killedPids.forEach((pid) => seenPids.add(pid));
    const labPid = labPidOf(run);
    expect(JSON.parse(readFileSync(join(stateDir, "lab.json"), "utf8"))).toMatchObject({ pid: labPid, services: ["postgres", "kafka"] });
    const killedAt = Date.now();
    process.kill(labPid, "SIGKILL");
    await expectEventually(async () => alive(killedPids, ["loadgen", "bridge", "watch"]), (left) => expect(left, "children still alive").toEqual([]), { timeoutMs: ORPHAN_EXIT_MS });
    console.info(`[lab kill test] the children were gone ${Date.now() - killedAt} ms after the SIGKILL`);
    expect(alive(killedPids, ["postgres", "kafka"])).toEqual(["postgres", "kafka"]);
    expect(readFileSync(join(stateDir, "logs", "bridge.log"), "utf8")).toContain("the lab is gone: stopping");
  }, 2 * START_MS);

  let rerun: LabRun;

  it("refuses a second lab on the same state folder while one runs; a rerun takes over the servers and continues", async () => {
    const leadsBefore = await countLeads();
    rerun = startLab();
    await waitReady(rerun);
    expect(rerun.stderr()).toContain("ended without stopping what it started");
    expect(rerun.stderr()).toContain("postgres: reusing the one the previous lab started");
    expect(rerun.stderr()).toContain("kafka: reusing the one the previous lab started");
    const pids = labPids(rerun.stderr(), stateDir);
    pids.forEach((pid) => seenPids.add(pid));
    expect([pids.get("postgres"), pids.get("kafka")]).toEqual([killedPids.get("postgres"), killedPids.get("kafka")]); // reused, not restarted

    const second = startLab();
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`another lab (PID ${labPidOf(rerun)}) runs with the state folder`);

    await expectEventually(countLeads, (n) => expect(n).toBeGreaterThan(leadsBefore + 20), { timeoutMs: 60_000, describe: "new leads" });
    expect(readFileSync(join(stateDir, "logs", "loadgen.log"), "utf8")).toContain(`"nextLeadId":${leadsBefore + 1}`);
  }, 2 * START_MS);

  it("stops with exit 1, and stops every process it started (the servers it took over included), when its bridge is SIGKILLed mid-run", async () => {
    const pids = labPids(rerun.stderr(), stateDir);
    process.kill(pids.get("bridge")!, "SIGKILL");
    await expectEventually(async () => rerun.stderr(), (text) => {
      expect(text).toContain("[lab] error: bridge exited early (SIGKILL)");
      expect(text).toContain("[lab] stopped (exit 1)");
    }, { timeoutMs: STOP_MS, describe: "the lab's report" });
    await expectEventually(async () => [...pids].filter(([, pid]) => isAlive(pid)), (left) => expect(left, "processes still alive").toEqual([]), { timeoutMs: 10_000 });
  }, STOP_MS * 2);

  it("starts a third time, continues, and holds each prediction once after Ctrl-C, across the lab's SIGKILL and the bridge's", async () => {
    const leadsBefore = await startedPostgres(countLeads);
    const run = startLab();
    await waitReady(run);
    await expectEventually(countLeads, (n) => expect(n).toBeGreaterThan(leadsBefore + 20), { timeoutMs: 60_000, describe: "new leads" });
    const pids = labPids(run.stderr(), stateDir);
    pids.forEach((pid) => seenPids.add(pid));
    run.interrupt();
    await expectEventually(async () => run.stderr(), (text) => expect(text).toContain("[lab] stopped (exit 0)"), { timeoutMs: STOP_MS, describe: "[lab] stopped (exit 0)" });
    expect(run.stderr()).toContain("[lab] bridge: every prediction sent is stored");
    await expectEventually(async () => [...pids].filter(([, pid]) => isAlive(pid)), (left) => expect(left, "processes still alive").toEqual([]), { timeoutMs: 10_000 });
    expect(groupAlive(run.pid), "a process of the lab's group is still alive").toBe(false);
    const counts = await startedPostgres(() => query(`select count(*)::int as raw, count(distinct "text")::int as distinct_texts,
      (select count(*)::int from leads) as leads from conversion_predictions_raw`));
    expect(counts).toEqual({ raw: counts.leads, distinct_texts: counts.leads, leads: counts.leads });
  }, 2 * START_MS);

  async function countLeads(): Promise<number> {
    return (await query("select count(*)::int as n from leads")).n as number;
  }

  /** Runs `read` on the lab's Postgres, started for it and stopped again (the lab stops it on exit). */
  async function startedPostgres<T>(read: () => Promise<T>): Promise<T> {
    const script = (name: string) => spawnSync("bash", [`scripts/services/${name}`], { cwd: repoRoot, env: { ...readEnv(), ...env }, encoding: "utf8" });
    const started = script("start-postgres.sh");
    expect(started.status, started.stderr).toBe(0);
    try {
      return await read();
    } finally {
      script("stop-postgres.sh");
    }
  }

  async function query(text: string): Promise<Record<string, unknown>> {
    return withClient(labUrl, async (client) => (await client.query(text)).rows[0] as Record<string, unknown>);
  }
});
