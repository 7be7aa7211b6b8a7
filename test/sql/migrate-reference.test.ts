// The migration command on real Postgres: it prepares the schema and the reference engine,
// a second run changes nothing, and a failing statement is reported by file and line.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { migrateConfig } from "../../config/migrate.ts";
import { MigrationError } from "../../scripts/migrate/errors.ts";
import { REPO_ROOT, runMigration } from "../../scripts/migrate/run.ts";
import { LOADGEN_PASSWORD } from "../helpers/lab-database.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.ts";
import { withClient } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";
import { migrateReference } from "./support/reference-db.ts";

const pg_ = await usePostgres();
const snapshotSql = readFileSync(new URL("./support/sql/catalog-snapshot.sql", import.meta.url), "utf8");


const snapshot = (url: string) => withClient(url, async (c) => (await c.query(snapshotSql)).rows);

describe.skipIf(!pg_.available)("npm run migrate on real Postgres", () => {
  const databases: TestDatabase[] = [];
  const freshDatabase = async () => {
    if (!pg_.available) throw new Error("unreachable");
    const db = await createTestDatabase(pg_.adminUrl);
    databases.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  describe("--target reference", () => {
    let url: string;
    let firstRun: string[];
    beforeAll(async () => {
      url = (await freshDatabase()).url;
      firstRun = [];
      await migrateReference(url, (line) => firstRun.push(line));
    });

    it("applies the Postgres schema, the stand-ins and the portable views, in order", () => {
      const files = firstRun.map((line) => /^applied (\S+)/.exec(line)?.[1]).filter(Boolean);
      expect(files[0]).toBe("postgres/10_tables.sql");
      expect(files).toContain("materialize/reference/20_mz_now.sql");
      expect(files.at(-1)).toMatch(/^materialize\/90_serving\/\d+_\w+\.reference\.sql$/);
      expect(files).toContain("materialize/90_serving/10_classifier_metrics.reference.sql");
      expect(files).toContain("materialize/90_serving/30_prediction_message_quality.reference.sql");
      expect(files.some((f) => f?.includes("10_connections") || f?.includes(".materialize."))).toBe(false);
    });

    it("changes nothing in the catalog when run a second time", async () => {
      const before = await snapshot(url);
      await migrateReference(url);
      expect(await snapshot(url)).toEqual(before);
      expect(before.filter((row) => row.kind === "view").map((row) => row.name)).toContain("public.classifier_metrics");
      // The reference's cache of parsed messages is part of what must not change.
      expect(before.filter((row) => row.kind === "trigger").map((row) => row.name)).toContain(
        "conversion_predictions_raw.stg_prediction_messages_cache_after_insert",
      );
    });

    it("serves classifier_metrics at the time set in lab.now, and at the current time when it is not set", async () => {
      await withClient(url, async (client) => {
        // No rows yet: an empty answer, not an error (test/sql/mz-now-fallback.test.ts has more).
        expect((await client.query("select * from classifier_metrics")).rows).toEqual([]);
        await client.query("set lab.now = '2026-01-01T00:02:00Z'");
        expect((await client.query("select * from classifier_metrics")).rows).toEqual([]);
      });
    });
  });

  describe("--target postgres", () => {
    it("creates the roles with their privileges, and the publication for Materialize", async () => {
      const db = await freshDatabase();
      const config = migrateConfig({ target: "postgres", url: db.url }, { ...readEnv(), LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD });
      await runMigration(config);
      await runMigration(config);
      const facts = await withClient(db.url, async (c) =>
        (
          await c.query(
            `select
                has_table_privilege('lab_loadgen', 'public.leads', 'insert') as loadgen_inserts,
                has_table_privilege('materialize', 'public.leads', 'select') as materialize_reads,
                has_table_privilege('materialize', 'public.leads', 'insert') as materialize_inserts,
                (select rolreplication from pg_roles where rolname = 'materialize') as replication,
                (select count(*)::int from pg_publication_tables where pubname = 'mz_source') as published`,
          )
        ).rows[0],
      );
      expect(facts).toEqual({
        loadgen_inserts: true,
        materialize_reads: true,
        materialize_inserts: false,
        replication: true,
        published: 6,
      });
      const loadgenUrl = new URL(db.url);
      loadgenUrl.username = "lab_loadgen";
      loadgenUrl.password = LOADGEN_PASSWORD;
      expect(await withClient(loadgenUrl.toString(), async (c) => (await c.query("select current_user")).rows[0])).toEqual({
        current_user: "lab_loadgen",
      });
    });
  });

  describe("a failing statement", () => {
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), "lab-migrate-"));
      cpSync(join(REPO_ROOT, "postgres"), join(root, "postgres"), { recursive: true });
      cpSync(join(REPO_ROOT, "materialize"), join(root, "materialize"), { recursive: true });
      cpSync(join(REPO_ROOT, "bridge", "schema"), join(root, "bridge", "schema"), { recursive: true });
      const file = join(root, "materialize/40_per_lead/20_int_coupons_per_lead.sql");
      writeFileSync(file, `${readFileSync(file, "utf8")}\n-- a mistake\ncreate view if not exists broken as\n    select * from no_such_table;\n`);
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it("is reported with its file, line, first line and the server's message", async () => {
      const db = await freshDatabase();
      const config = migrateConfig({ target: "reference", url: db.url }, { ...readEnv(), LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD });
      const failure = await runMigration(config, { repoRoot: root }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      const error = failure as MigrationError;
      const lines = readFileSync(join(root, "materialize/40_per_lead/20_int_coupons_per_lead.sql"), "utf8").split("\n");
      expect(error.file).toBe("materialize/40_per_lead/20_int_coupons_per_lead.sql");
      expect(lines[error.line - 1]).toBe("create view if not exists broken as");
      expect(error.statementFirstLine).toBe("create or replace view broken as");
      expect(error.sqlState).toBe("42P01");
      expect(error.message).toMatch(/relation "no_such_table" does not exist \(at line \d+\)/);
    });
  });
});
