// The dashboard's "what happened vs what was noticed" cards (metabase/dashboard.yaml), run on the
// reference engine at a chosen time (lab.now): the alerts card shows each alert once, with its
// newest settled window of the last 25 s, newest first; the incidents card shows the incidents
// that have started, newest first. (Metabase and Materialize cannot run here; the same SQL runs
// there, checked by test/materialize/metabase-provision.test.ts where Docker exists.)

import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboardDefinition } from "../../metabase/definition.ts";
import { createTestDatabase, withClient, type TestDatabase } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const cardSql = (key: string) => loadDashboardDefinition().cards.find((c) => c.key === key)?.sql ?? "";
const NOW = Date.parse("2026-01-01T10:00:00Z");
const at = (secondsFromNow: number) => new Date(NOW + secondsFromNow * 1000).toISOString();
const secondsOf = (value: Date | null) => (value === null ? null : (value.getTime() - NOW) / 1000);

describe.skipIf(!postgres.available)("the alerts and incidents cards on the reference engine", () => {
  let db: TestDatabase;
  /** Runs the card's SQL with lab.now = NOW. */
  const runCard = (key: string) => withClient(db.url, async (client) => {
    await client.query("select set_config('lab.now', $1, false)", [at(0)]);
    return (await client.query(cardSql(key))).rows as Array<Record<string, unknown>>;
  });

  beforeAll(async () => {
    if (!postgres.available) return;
    db = await createTestDatabase(postgres.adminUrl);
    await withClient(db.url, async (client) => {
      await client.query(read("materialize/reference/20_mz_now.sql"));
      await client.query(read("test/integration/support/monitoring-alerts-table.sql"));
      await client.query(read("postgres/15_monitoring_tables.sql"));
      const alert = "insert into monitoring_alerts values ($1, $2, $3, $4, 's.v', $5)";
      // auc_low/control fired 20, 10 and 6 s ago: one row, its newest settled window (6 s ago).
      for (const [seconds, value] of [[-20, 0.5], [-10, 0.52], [-6, 0.54]] as const) await client.query(alert, ["auc_low", at(seconds), value, 0.6, "control"]);
      await client.query(alert, ["auc_low", at(-8), 0.51, 0.6, "experiment"]);
      await client.query(alert, ["srm_high", at(-15), 14, 10.83, null]);
      await client.query(alert, ["srm_high", at(-30), 20, 10.83, "too_old"]);
      await client.query(alert, ["auc_low", at(-2), 0.4, 0.6, "unsettled"]);
      const incident = "insert into scenario_incidents values ('run-1', $1, $2, $3, $4, '{}')";
      await client.query(incident, [1, "model_decay", at(-600), at(-300)]);
      await client.query(incident, [2, "score_shift", at(-60), null]);
      await client.query(incident, [3, "split_bug", at(120), null]);
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("lists each alert firing now once, with its newest settled window, newest first", async () => {
    const rows = await runCard("alerts_firing_now");
    expect(rows.map((r) => [r.rule_name, r.subject, secondsOf(r.window_end as Date), r.value])).toEqual([
      ["auc_low", "control", -6, 0.54],
      ["auc_low", "experiment", -8, 0.51],
      ["srm_high", null, -15, 14],
    ]);
  });

  it("lists the incidents that have started, newest first, and not the one still to come", async () => {
    const rows = await runCard("incidents_started");
    expect(rows.map((r) => [r.kind, secondsOf(r.starts_at as Date), secondsOf(r.ends_at as Date | null)])).toEqual([
      ["score_shift", -60, null],
      ["model_decay", -600, -300],
    ]);
  });
});
