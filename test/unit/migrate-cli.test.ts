// `npm run migrate` as a user runs it: exit code 2 with the flag or variable to fix on bad
// configuration, and --dry-run prints the SQL without connecting anywhere.

import { describe, expect, it } from "vitest";
import { runTool } from "../helpers/run-tool.ts";

// Blank values mean "not given", whatever the developer's shell has exported.
const CLEAN_ENV = { MIGRATE_TARGET: "", MIGRATE_PG_URL: "", MIGRATE_MZ_URL: "postgres://materialize@127.0.0.1:1/materialize" };
const migrate = (args: string[], env: Record<string, string> = {}) =>
  runTool("scripts/migrate.ts", args, { env: { ...CLEAN_ENV, ...env }, timeoutMs: 60_000 });

describe("npm run migrate", () => {
  it("exits 2 and names --url and MIGRATE_PG_URL when a Postgres target has no URL", async () => {
    const result = await migrate(["--target", "reference"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--url .*MIGRATE_PG_URL/);
  });

  it("exits 2 and names every allowed target when no target is given", async () => {
    const result = await migrate([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--target is not set; allowed: --target postgres \| reference \| materialize \| kafka \(or set MIGRATE_TARGET\)/);
  });

  it("exits 2 naming the variable when a port is out of range or not a number", async () => {
    const range = await migrate(["--target", "materialize", "--dry-run"], { MZ_PG_PORT: "65536" });
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/MZ_PG_PORT = "65536"; allowed: a port number from 1 to 65535/);
    const word = await migrate(["--target", "materialize", "--dry-run"], { MZ_PG_PORT: "five" });
    expect(word.code).toBe(2);
    expect(word.stderr).toMatch(/MZ_PG_PORT = "five"; allowed: expected a number/);
    expect(word.stderr).not.toMatch(/NaN/);
  });

  it("exits 2 on an unknown target or flag", async () => {
    const target = await migrate(["--target", "mysql"]);
    expect(target.code).toBe(2);
    expect(target.stderr).toMatch(/--target = "mysql"; allowed: postgres, reference, materialize/);
    const flag = await migrate(["--target", "reference", "--verbose"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--verbose'/);
  });

  it("prints the Materialize SQL with --dry-run, secrets masked, without connecting", async () => {
    const result = await migrate(["--target", "materialize", "--dry-run"], { MZ_PG_PASSWORD: "hunter2", KAFKA_TOPIC: "predictions_v2" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("create secret if not exists pg_password as '***';");
    expect(result.stdout).toContain("from kafka connection kafka_connection (topic 'predictions_v2')");
    expect(result.stdout).toContain("create materialized view if not exists classifier_metrics");
    expect(result.stdout).not.toContain("hunter2");
    expect(result.stderr).toMatch(/tags: materialize, kafka-plain/);
  });

  it("exits 1 naming the server when the database cannot be reached", async () => {
    const result = await migrate(["--target", "reference", "--url", "postgres://postgres@127.0.0.1:1/none"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
  });
});
