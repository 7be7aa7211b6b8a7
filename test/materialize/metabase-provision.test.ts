// The provisioner against a REAL Metabase and a REAL Materialize (skipped with the printed reason
// when either is unavailable): two runs of `tsx metabase/main.ts` must leave exactly one database
// entry, one collection, one dashboard and one card per definition entry, and every card's query
// must complete.
//
// Metabase's server must reach Materialize. In the compose stack, set LAB_METABASE_MZ_HOST=materialize
// and LAB_METABASE_MZ_PORT=6875. Otherwise the host and port of LAB_MZ_URL / the Materialize container
// are used, with a loopback host replaced by host.docker.internal (on Linux a container may need
// LAB_METABASE_MZ_HOST=172.17.0.1, the default bridge's gateway, instead — not verified here).
//
// For each serving view the cards read that Materialize does not have (the lab's migrations need
// Postgres and Kafka too), a constant stand-in view is created (metabase/testing/*-stand-in.sql)
// and dropped afterwards.

import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { DEFAULT_ADMIN_PASSWORD } from "../../config/metabase.ts";
import { MetabaseClient } from "../../metabase/client.ts";
import { loadDashboardDefinition } from "../../metabase/definition.ts";
import { captureLog } from "../../metabase/testing/capture-log.ts";
import { runTool, type ToolResult } from "../helpers/run-tool.ts";
import { useMaterialize, useMetabase } from "../helpers/services.ts";

const metabase = await useMetabase();
const materialize = await useMaterialize();
const definition = loadDashboardDefinition();
/** The serving views the cards read, and the constant stand-in for each. */
const STAND_INS = ["classifier_metrics", "prediction_message_quality", "ab_test_metrics", "pipeline_health"].map((view) => ({
  view,
  sql: readFileSync(new URL(`../../metabase/testing/${view.replaceAll("_", "-")}-stand-in.sql`, import.meta.url), "utf8"),
}));

function materializeAsMetabaseSeesIt(sqlUrl: string): { host: string; port: string } {
  const env = readEnv();
  const url = new URL(sqlUrl);
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return {
    host: env.LAB_METABASE_MZ_HOST || (loopback ? "host.docker.internal" : url.hostname),
    port: env.LAB_METABASE_MZ_PORT || url.port || "6875",
  };
}

function provisionedLine(run: ToolResult): { created: Record<string, unknown>; updated: string[]; dashboardChanged: boolean } {
  const line = run.stderr.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { msg?: string }).find((l) => l.msg === "provisioned");
  expect(line, run.stderr).toBeDefined();
  return line as never;
}

describe.skipIf(!metabase.available || !materialize.available)("provisioning a real Metabase reading a real Materialize", () => {
  const baseUrl = metabase.available ? metabase.baseUrl : "";
  const sqlUrl = materialize.available ? materialize.sqlUrl : "";
  const env = readEnv();
  const credentials = { email: env.METABASE_ADMIN_EMAIL || "admin@lab.local", password: env.METABASE_ADMIN_PASSWORD || DEFAULT_ADMIN_PASSWORD };
  const standIns: string[] = [];
  let first: ToolResult;
  let second: ToolResult;

  beforeAll(async () => {
    const mz = new pg.Client({ connectionString: sqlUrl });
    await mz.connect();
    for (const { view, sql } of STAND_INS) {
      const existing = await mz.query("select 1 from mz_catalog.mz_objects where name = $1", [view]);
      if (existing.rowCount !== 0) continue;
      await mz.query(sql);
      standIns.push(view);
    }
    await mz.end();
    const target = materializeAsMetabaseSeesIt(sqlUrl);
    const toolEnv = { METABASE_URL: baseUrl, METABASE_MZ_HOST: target.host, METABASE_MZ_PORT: target.port, METABASE_TIMEOUT_SECONDS: "300" };
    first = await runTool("metabase/main.ts", [], { env: toolEnv, timeoutMs: 500_000 });
    second = await runTool("metabase/main.ts", [], { env: toolEnv, timeoutMs: 500_000 });
  }, 1_100_000);

  afterAll(async () => {
    if (standIns.length === 0) return;
    const mz = new pg.Client({ connectionString: sqlUrl });
    await mz.connect();
    for (const view of standIns) await mz.query(`drop view if exists ${pg.escapeIdentifier(view)}`);
    await mz.end();
  });

  it("succeeds twice, every card's query completing, and prints the dashboard URL last", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const lastLine = second.stdout.trim().split("\n").at(-1);
    expect(lastLine).toMatch(new RegExp(`^${baseUrl}/dashboard/\\d+#refresh=1$`));
    expect(second.stdout).toMatch(/\/public\/dashboard\/[0-9a-f-]{36}#refresh=1/);
  });

  it("creates nothing and updates nothing on the second run", () => {
    const again = provisionedLine(second);
    expect(again.created).toEqual({ database: false, collection: false, dashboard: false, cards: [] });
    expect(again.updated).toEqual([]);
    expect(again.dashboardChanged).toBe(false);
  });

  it("leaves one database entry, one collection, one dashboard and one card per definition entry", async () => {
    const client = new MetabaseClient(baseUrl, captureLog().log);
    client.session = (await client.post<{ id: string }>("/api/session", { username: credentials.email, password: credentials.password })).id;
    const databases = await client.get<{ data: Array<{ name: string }> }>("/api/database");
    expect(databases.data.filter((d) => d.name === definition.database.name)).toHaveLength(1);
    const collections = (await client.get<Array<{ id: number; name: string; archived?: boolean }>>("/api/collection")).filter((c) => c.name === definition.collection.name && !c.archived);
    expect(collections).toHaveLength(1);
    const items = await client.get<{ data: Array<{ name: string; model: string }> }>(`/api/collection/${collections[0]!.id}/items?models=card&models=dashboard`);
    expect(items.data.filter((i) => i.model === "dashboard").map((i) => i.name)).toEqual([definition.dashboard.name]);
    expect(items.data.filter((i) => i.model === "card").map((i) => i.name).sort()).toEqual(definition.cards.map((c) => c.name).sort());
  });
});
