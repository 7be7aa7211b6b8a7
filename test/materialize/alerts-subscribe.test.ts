// `npm run alerts` on a REAL Materialize (skipped with the printed reason where none is
// available): the follower SUBSCRIBEs (no polling) to alerts/sql/firing-alerts.sql, so a rule
// that fires appears as a start and its retraction as a resolve, each POSTed to a local webhook
// receiver. monitoring_alerts is a table in a scratch database here: the test makes rules fire and
// stop by inserting and deleting rows (the same fixture as test/integration/alerts-follower.test.ts).

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEventually } from "../helpers/eventually.ts";
import { withDatabase } from "../helpers/postgres.ts";
import { runTool } from "../helpers/run-tool.ts";
import { useMaterialize } from "../helpers/services.ts";
import { webhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";

const materialize = await useMaterialize();
const STAND_IN_SQL = readFileSync(new URL("../integration/support/monitoring-alerts-table.sql", import.meta.url), "utf8")
  .replace(/^--.*$/gm, "");
const INSERT = "insert into monitoring_alerts values ($1, $2, $3, $4, $5, $6)";
const summary = (event: Record<string, unknown>) => `${String(event.event)} ${String(event.rule_name)}/${String(event.subject)}`;

describe.skipIf(!materialize.available)("npm run alerts on Materialize", () => {
  const database = `alerts_test_${randomBytes(4).toString("hex")}`;
  const serverUrl = materialize.available ? materialize.sqlUrl : "";
  const url = serverUrl === "" ? "" : withDatabase(serverUrl, database);
  let hook: WebhookReceiver;
  const sql = async (text: string, params: unknown[] = [], on = url) => {
    const client = new pg.Client({ connectionString: on });
    await client.connect();
    try {
      return await client.query(text, params);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await sql(`create database ${pg.escapeIdentifier(database)}`, [], serverUrl);
    await sql(STAND_IN_SQL);
    hook = await webhookReceiver((n) => (n === 1 ? 503 : 204));
  }, 60_000);
  afterAll(async () => {
    await hook?.close();
    await sql(`drop database if exists ${pg.escapeIdentifier(database)} cascade`, [], serverUrl).catch(() => {});
  });

  it("subscribes, and prints and POSTs a start when a rule fires and a resolve when its row is retracted", async () => {
    const stop = new AbortController();
    const running = runTool("alerts/main.ts", ["--url", url, "--format", "json", "--webhook", hook.url], { abort: stop.signal, timeoutMs: 120_000 });
    try {
      const tenSecondsAgo = new Date(Date.now() - 10_000);
      await sql(INSERT, ["roc_auc_low", tenSecondsAgo, 0.55, 0.6, "model_quality_metrics.roc_auc", "control"]);
      await expectEventually(async () => hook.bodies.map(summary), (seen) => expect(seen).toEqual(["start roc_auc_low/control"]),
        { timeoutMs: 30_000, describe: "the webhook receives the start" });
      await sql("delete from monitoring_alerts where rule_name = 'roc_auc_low'");
      await expectEventually(async () => hook.bodies.map(summary), (seen) => expect(seen).toEqual(["start roc_auc_low/control", "resolve roc_auc_low/control"]),
        { timeoutMs: 30_000, describe: "the webhook receives the resolve" });
    } finally {
      stop.abort();
    }
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/following monitoring_alerts on the materialize engine .*\(SUBSCRIBE\)/);
    expect(run.stdout.split("\n").filter(Boolean).map((l) => summary(JSON.parse(l) as Record<string, unknown>)))
      .toEqual(["start roc_auc_low/control", "resolve roc_auc_low/control"]);
  }, 120_000);
});
