// The provisioner against a REAL Metabase and a REAL Materialize (skipped with the printed reason
// when either is unavailable): two runs of `tsx metabase/main.ts` must leave exactly one database
// entry, one collection, one dashboard and one card per definition entry, and every card's query
// must complete.
//
// Metabase's server must reach Materialize: support/metabase-pair.ts starts both on one Docker
// network (Metabase dials materialize:6875), or takes LAB_METABASE_URL + LAB_MZ_URL with
// LAB_METABASE_MZ_HOST / LAB_METABASE_MZ_PORT (the compose stack: materialize, 6875).
//
// If Materialize lacks a served view the cards read (the lab's migrations need Postgres and Kafka
// too), a constant stand-in view is created for it (metabase/testing/*-stand-in.sql) and dropped
// afterwards.

import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { DEFAULT_ADMIN_PASSWORD } from "../../config/metabase.ts";
import { MetabaseClient } from "../../metabase/client.ts";
import { loadDashboardDefinition } from "../../metabase/definition.ts";
import { captureLog } from "../../metabase/testing/capture-log.ts";
import { rawText, splitStatements } from "../../scripts/migrate/split.ts";
import { runTool, type ToolResult } from "../helpers/run-tool.ts";
import { useMetabasePair } from "./support/metabase-pair.ts";

const pair = await useMetabasePair();
const definition = loadDashboardDefinition();
/** One `create view <name> as ...` per served view the cards read. */
const STAND_INS = ["classifier-metrics", "prediction-message-quality", "model-quality", "feature-drift", "ab-test-metrics", "pipeline-health",
  "monitoring-alerts", "scenario-incidents"]
  .flatMap((name) => splitStatements(readFileSync(new URL(`../../metabase/testing/${name}-stand-in.sql`, import.meta.url), "utf8")))
  .map((statement) => {
    const sql = rawText(statement);
    return { view: /create view (\w+)/i.exec(sql)?.[1] ?? "", sql };
  });

function provisionedLine(run: ToolResult): { created: Record<string, unknown>; updated: string[]; dashboardChanged: boolean } {
  const line = run.stderr.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { msg?: string }).find((l) => l.msg === "provisioned");
  expect(line, run.stderr).toBeDefined();
  return line as never;
}

describe.skipIf(!pair.available)("provisioning a real Metabase reading a real Materialize", () => {
  const baseUrl = pair.available ? pair.baseUrl : "";
  const sqlUrl = pair.available ? pair.sqlUrl : "";
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
    if (!pair.available) return;
    const { target } = pair;
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
