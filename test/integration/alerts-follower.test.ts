// `npm run alerts` on the reference engine (real Postgres), as a user starts it: it polls
// monitoring_alerts with lab.now at the wall clock, prints an alert when a rule fires in a settled
// window (5 s grace) of the last 25 s and when it stops, POSTs each transition to a webhook that
// fails its first two requests, keeps printing when the webhook is down, and stops cleanly on SIGTERM.
// monitoring_alerts is a table here (support/monitoring-alerts-table.sql): the test makes rules
// fire and stop by inserting and deleting rows.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { readEnv } from "../../config/env.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEventually } from "../helpers/eventually.ts";
import { createTestDatabase, withClient, type TestDatabase } from "../helpers/postgres.ts";
import { descendantsOf, isAlive } from "../helpers/process-tree.ts";
import { repoRoot, runTool, type ToolResult } from "../helpers/run-tool.ts";
import { usePostgres } from "../helpers/services.ts";
import { downWebhookUrl, webhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";

const postgres = await usePostgres();
const MZ_NOW_SQL = readFileSync(new URL("../../materialize/reference/20_mz_now.sql", import.meta.url), "utf8");
const STAND_IN_SQL = readFileSync(new URL("./support/monitoring-alerts-table.sql", import.meta.url), "utf8");
const INSERT = "insert into monitoring_alerts values ($1, now() + make_interval(secs => $2), $3, $4, $5, $6)";

const lines = (run: { stdout: string }) => run.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const summary = (event: Record<string, unknown>) => `${String(event.event)} ${String(event.rule_name)}/${String(event.subject)}`;

describe.skipIf(!postgres.available)("npm run alerts on the reference engine", () => {
  let db: TestDatabase;
  let hook: WebhookReceiver;
  const sql = (text: string, params: unknown[] = []) => withClient(db.url, (c) => c.query(text, params));

  beforeAll(async () => {
    if (!postgres.available) return;
    db = await createTestDatabase(postgres.adminUrl);
    await sql(MZ_NOW_SQL);
    await sql(STAND_IN_SQL);
    hook = await webhookReceiver((n) => (n <= 2 ? 503 : 204));
  });
  afterAll(async () => {
    await hook?.close();
    await db?.drop();
  });

  it("prints and POSTs each alert as it starts and resolves, and leaves old and unsettled windows alone", async () => {
    // Fired 10 s and 8 s ago (settled, recent): two alerts; 60 s ago: too old; 30 s ahead: not settled.
    await sql(INSERT, ["roc_auc_low", -10, 0.55, 0.6, "model_quality_metrics.roc_auc", "control"]);
    await sql(INSERT, ["srm_high", -8, 14.2, 10.83, "ab_test_metrics.srm_chi_square", null]);
    await sql(INSERT, ["stale_rule", -60, 1, 0, "pipeline_health.late_conversion_share", null]);
    await sql(INSERT, ["unsettled_rule", 30, 1, 0, "pipeline_health.prediction_coverage", null]);
    const stop = new AbortController();
    const running = runTool("alerts/main.ts", ["--url", db.url, "--format", "json", "--webhook", hook.url], { abort: stop.signal, timeoutMs: 60_000 });
    let run: ToolResult | undefined;
    try {
      await expectEventually(async () => hook.bodies.map(summary), (seen) => expect(seen).toEqual(["start roc_auc_low/control", "start srm_high/null"]),
        { timeoutMs: 20_000, describe: "the webhook receives both starts (after two 503s)" });
      await sql("delete from monitoring_alerts where rule_name = 'roc_auc_low'");
      await expectEventually(async () => hook.bodies.map(summary), (seen) => expect(seen).toContain("resolve roc_auc_low/control"),
        { timeoutMs: 10_000, describe: "the webhook receives the resolve" });
    } finally {
      stop.abort();
      run = await running;
    }
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/following monitoring_alerts on the reference engine .*polling every 1 s with lab\.now at the wall clock/);
    // The webhook's path may hold its secret: the log shows its origin only.
    expect(run.stderr).toContain(`POSTing to a webhook at ${new URL(hook.url).origin}`);
    expect(run.stderr).not.toContain(hook.url);
    expect(lines(run).map(summary)).toEqual(["start roc_auc_low/control", "start srm_high/null", "resolve roc_auc_low/control"]);
    expect(lines(run)[1]).toMatchObject({ signal: "ab_test_metrics.srm_chi_square", value: 14.2, threshold: 10.83 });
    expect(hook.bodies).toEqual(lines(run));
    expect(hook.times).toHaveLength(5);
    expect(run.stderr).toMatch(/webhook failed \(the webhook answered HTTP 503\); retrying with backoff/);
  }, 60_000);

  it("keeps printing when the webhook is down, and says why the webhook gave up", async () => {
    await sql("delete from monitoring_alerts");
    await sql(INSERT, ["psi_high", -7, 0.4, 0.25, "feature_drift.psi", "utm_source"]);
    const run = await runTool("alerts/main.ts", ["--url", db.url, "--webhook", await downWebhookUrl(), "--webhook-retry-seconds", "1"], {
      signal: { name: "SIGINT", whenStderr: /gave up on one transition/ }, timeoutMs: 30_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\S+Z START {3}psi_high \[utm_source\]: feature_drift\.psi = 0\.4 \(threshold 0\.25\), in the window ending \S+Z\n$/);
    expect(run.stderr).toMatch(/gave up on one transition \(start psi_high\): .*ECONNREFUSED/);
  }, 40_000);

  it("exits 1 with the fix when the engine has no monitoring_alerts, and 2 on a bad flag", async () => {
    const empty = await createTestDatabase(postgres.available ? postgres.adminUrl : "");
    try {
      const missing = await runTool("alerts/main.ts", ["--url", empty.url], { timeoutMs: 30_000 });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/monitoring_alerts does not exist here: run `npm run migrate`/);
    } finally {
      await empty.drop();
    }
    const bad = await runTool("alerts/main.ts", ["--url", db.url, "--format", "xml"], { timeoutMs: 30_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format/);
  }, 40_000);

  it("started as `npm run alerts`, ends with its whole process tree and exit 0 on SIGTERM to npm", async () => {
    const npm = spawn("npm", ["run", "alerts", "--", "--url", db.url], { cwd: repoRoot, env: readEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    npm.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.on("close", (code, signal) => resolve({ code, signal })));
    let tree: ReturnType<typeof descendantsOf> = [];
    try {
      await expectEventually(async () => stderr, (text) => expect(text).toMatch(/following monitoring_alerts/), { timeoutMs: 30_000, describe: "the follower starts" });
      tree = descendantsOf(npm.pid!);
      expect(tree.some((p) => p.command.includes("alerts/main.ts")), JSON.stringify(tree)).toBe(true);
      process.kill(npm.pid!, "SIGTERM");
      expect(await Promise.race([exit, sleep(20_000).then(() => "still running")])).toEqual({ code: 0, signal: null });
      await expectEventually(async () => tree.filter(isAlive), (alive) => expect(alive).toEqual([]), { timeoutMs: 5_000, describe: "no process of the tree survives" });
    } finally {
      for (const p of tree) if (isAlive(p)) process.kill(p.pid, "SIGKILL");
      if (npm.exitCode === null && npm.signalCode === null) npm.kill("SIGKILL");
    }
  }, 60_000);
});
