// `npm run migrate` over a database whose `leads`, `coupons` or monitoring tables already exist
// with another shape: it fails (exit 1) naming the table and each differing column, expected
// vs found, before changing anything. `create table if not exists` alone would skip such a table
// and let the generator fail later, far from the cause.
//
// The expected column types below are read off postgres/10_tables.sql and
// postgres/15_monitoring_tables.sql by hand (format_type's spelling), not from the checker.

import { afterAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { migrateConfig } from "../../config/migrate.ts";
import { TableShapeError } from "../../scripts/migrate/errors.ts";
import { runMigration } from "../../scripts/migrate/run.ts";
import { LOADGEN_PASSWORD } from "../helpers/lab-database.ts";
import { createTestDatabase, withClient, type TestDatabase } from "../helpers/postgres.ts";
import { runTool } from "../helpers/run-tool.ts";
import { usePostgres } from "../helpers/services.ts";
import { readFileSync } from "node:fs";

const pg_ = await usePostgres();
const snapshotSql = readFileSync(new URL("./support/sql/catalog-snapshot.sql", import.meta.url), "utf8");

const configFor = (target: "postgres" | "reference", url: string) =>
  migrateConfig({ target, url }, { ...readEnv(), LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD });

const run = (url: string, sql: string) => withClient(url, (c) => c.query(sql));

/** Everything a migration could have left: the lab's relations and columns, scratch schemas, the publication. */
const catalog = (url: string) =>
  withClient(url, async (c) => ({
    objects: (await c.query(snapshotSql)).rows,
    schemas: (await c.query("select nspname from pg_namespace where nspname like 'lab_shape%' or nspname = 'loadgen'")).rows,
    publications: (await c.query("select pubname from pg_publication")).rows,
  }));

async function failureOf(target: "postgres" | "reference", url: string): Promise<TableShapeError> {
  const error = await runMigration(configFor(target, url)).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof TableShapeError)) throw new Error(`expected a TableShapeError, got ${String(error)}`);
  return error;
}

describe.skipIf(!pg_.available)("npm run migrate over tables of another shape", () => {
  const databases: TestDatabase[] = [];
  const freshDatabase = async (): Promise<string> => {
    if (!pg_.available) throw new Error("unreachable");
    const db = await createTestDatabase(pg_.adminUrl);
    databases.push(db);
    return db.url;
  };
  /** A database the lab's migration has already prepared, then `change` applied to it. */
  const migratedThen = async (change: string): Promise<string> => {
    const url = await freshDatabase();
    await runMigration(configFor("postgres", url));
    await run(url, change);
    return url;
  };
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  it("refuses a leads table missing a column, naming the table and the column, and changes nothing", async () => {
    const url = await freshDatabase();
    await run(url, `create table public.leads (id bigint primary key, email text not null, created_at timestamptz not null,
      converted_at timestamptz, conversion_amount integer, utm_source text not null, utm_medium text not null,
      utm_campaign text not null, country_code text not null)`);
    const before = await catalog(url);
    const error = await failureOf("postgres", url);
    expect(error.differences).toEqual([
      { table: "public.leads", file: "postgres/10_tables.sql", columns: ["device_type: expected text not null, found no such column"] },
    ]);
    expect(error.message).toContain("table public.leads (declared in postgres/10_tables.sql)");
    expect(await catalog(url), "no table, scratch schema, loadgen schema or publication was created").toEqual(before);
  });

  it("refuses a coupons table whose amount has another type, expected vs found", async () => {
    const url = await migratedThen("alter table public.coupons alter column amount type numeric(12,2)");
    const before = await catalog(url);
    const error = await failureOf("postgres", url);
    expect(error.differences).toEqual([
      { table: "public.coupons", file: "postgres/10_tables.sql", columns: ["amount: expected integer not null, found numeric(12,2) not null"] },
    ]);
    expect(await catalog(url)).toEqual(before);
  });

  it("refuses an extra NOT NULL column without a default, and accepts extra columns the generator can ignore", async () => {
    const url = await migratedThen("alter table public.leads add column tenant_id integer not null default 1; alter table public.leads alter column tenant_id drop default");
    const error = await failureOf("reference", url);
    expect(error.differences.map((d) => [d.table, d.columns])).toEqual([
      ["public.leads", ["tenant_id: expected no such column, found integer not null without a default (inserts would fail)"]],
    ]);
    await run(url, "alter table public.leads alter column tenant_id set default 7; alter table public.coupons add column note text");
    await expect(runMigration(configFor("postgres", url))).resolves.toBeUndefined();
  });

  it("refuses a nullable column the files declare NOT NULL", async () => {
    const url = await migratedThen("alter table public.leads alter column email drop not null");
    const error = await failureOf("postgres", url);
    expect(error.differences[0]?.columns).toEqual(["email: expected text not null, found text"]);
  });

  it("checks the monitoring tables of postgres/15_monitoring_tables.sql too, reporting every differing table", async () => {
    const url = await migratedThen(`
      alter table public.experiment_design alter column expected_share type real;
      alter table public.model_reference_distribution drop column reference_count;
      alter table public.scenario_incidents drop column params`);
    const error = await failureOf("postgres", url);
    expect(error.differences).toEqual([
      { table: "public.scenario_incidents", file: "postgres/15_monitoring_tables.sql", columns: ["params: expected jsonb not null, found no such column"] },
      { table: "public.experiment_design", file: "postgres/15_monitoring_tables.sql", columns: ["expected_share: expected double precision not null, found real not null"] },
      { table: "public.model_reference_distribution", file: "postgres/15_monitoring_tables.sql", columns: ["reference_count: expected bigint not null, found no such column"] },
    ]);
  });

  it("passes over the tables it created itself, run after run", async () => {
    const url = await freshDatabase();
    const lines: string[] = [];
    await runMigration(configFor("postgres", url));
    await runMigration(configFor("postgres", url), { log: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/^existing tables match their declared shape: public\.leads, public\.coupons, .*loadgen\.scheduled_conversions\b/);
  });

  it("exits 1 from the command line, naming the table and the columns", async () => {
    const url = await freshDatabase();
    await run(url, "create table public.coupons (id bigint primary key, lead_id bigint not null, amount integer not null, created_at text not null)");
    const result = await runTool("scripts/migrate.ts", ["--target", "postgres", "--url", url], {
      env: { MIGRATE_TARGET: "", MIGRATE_PG_URL: "", LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nothing was changed");
    expect(result.stderr).toContain("table public.coupons (declared in postgres/10_tables.sql)");
    expect(result.stderr).toContain("created_at: expected timestamp with time zone not null, found text not null");
    const tables = await withClient(url, async (c) => (await c.query<{ name: string }>(
      "select relname as name from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace order by 1")).rows);
    expect(tables.map((t) => t.name)).toEqual(["coupons"]);
  });
});

