// alert_rules as the Postgres migration leaves it: seeded once with the default rules,
// published to Materialize and readable by its role, and a user's tuning survives a rerun.

import { describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { migrateConfig } from "../../config/migrate.ts";
import { runMigration } from "../../scripts/migrate/run.ts";
import { LOADGEN_PASSWORD } from "../helpers/lab-database.ts";
import { createTestDatabase, withClient } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";

const pg = await usePostgres();

const DEFAULT_RULES = [
  "audience_drift", "coupon_effect_lost", "coupon_uplift_lost", "duplicate_predictions", "late_conversions", "model_discrimination_drop",
  "model_overconfident", "prediction_coverage_drop", "sample_ratio_mismatch", "score_distribution_drift",
];

describe.skipIf(!pg.available)("alert_rules after `npm run migrate -- --target postgres`", () => {
  it("holds the default rules, is published and readable by materialize, and keeps a user's threshold when migrated again", async () => {
    if (!pg.available) return;
    await using db = await createTestDatabase(pg.adminUrl);
    const config = migrateConfig({ target: "postgres", url: db.url }, { ...readEnv(), LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD });
    await runMigration(config, { log: () => {} });
    await withClient(db.url, async (c) => {
      expect((await c.query("select rule_name from alert_rules order by rule_name")).rows.map((r) => r.rule_name)).toEqual(DEFAULT_RULES);
      const facts = (await c.query(
        `select exists (select 1 from pg_publication_tables where pubname = 'mz_source' and tablename = 'alert_rules') as published,
                has_table_privilege('materialize', 'public.alert_rules', 'select') as materialize_reads,
                has_table_privilege('materialize', 'public.alert_rules', 'update') as materialize_updates`,
      )).rows[0];
      expect(facts).toEqual({ published: true, materialize_reads: true, materialize_updates: false });
      await c.query("update alert_rules set threshold = 0.2 where rule_name = 'audience_drift'");
      await c.query("delete from alert_rules where rule_name = 'late_conversions'");
    });
    await runMigration(config, { log: () => {} });
    await withClient(db.url, async (c) => {
      expect((await c.query("select threshold from alert_rules where rule_name = 'audience_drift'")).rows[0]).toEqual({ threshold: 0.2 });
      // A rerun restores a deleted default (insert ... on conflict do nothing): delete means "back to the default".
      expect((await c.query("select count(*)::int as n from alert_rules")).rows[0]).toEqual({ n: 10 });
    });
  });

  it("refuses a rule with an unknown direction or too long a run of windows, naming the column's check", async () => {
    if (!pg.available) return;
    await using db = await createTestDatabase(pg.adminUrl);
    await runMigration(migrateConfig({ target: "postgres", url: db.url }, { ...readEnv(), LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD }), { log: () => {} });
    await withClient(db.url, async (c) => {
      await expect(c.query("update alert_rules set direction = 'sideways'")).rejects.toThrow(/alert_rules_direction_check/);
      await expect(c.query("update alert_rules set consecutive_windows = 13")).rejects.toThrow(/alert_rules_consecutive_windows_check/);
    });
  });
});
