// The migrations' documentation cannot drift: the README lists every file and setting, and
// every migration file opens with its teaching header.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MIGRATE_SETTINGS, migrateConfig } from "../../config/migrate.ts";
import { discoverSqlFiles } from "../../scripts/migrate/discover.ts";
import { REPO_ROOT } from "../../scripts/migrate/run.ts";
import { SQL_TARGET_SPECS } from "../../scripts/migrate/targets.ts";

const readme = readFileSync(new URL("../../materialize/README.md", import.meta.url), "utf8");
const ALL_TAGS = ["materialize", "reference", "kafka-plain", "kafka-sasl"];
const migrationFiles = discoverSqlFiles(REPO_ROOT, ["materialize"], ALL_TAGS);

describe("materialize/README.md", () => {
  it("lists every environment variable of the migration command", () => {
    for (const [, envName] of Object.values(MIGRATE_SETTINGS)) if (envName) expect(readme, envName).toContain(`\`${envName}\``);
  });

  it("names every migration file", () => {
    for (const file of migrationFiles) {
      const local = file.path.replace(/^materialize\//, "");
      const named = readme.includes(`\`${local}\``) || readme.includes(`\`${local.replace(/\.(materialize|reference)\.sql$/, ".{materialize,reference}.sql")}\``);
      expect(named, local).toBe(true);
    }
  });
});

describe("the migration files", () => {
  it("each open with their path and a teaching header", () => {
    for (const file of migrationFiles) {
      const text = readFileSync(file.absolutePath, "utf8");
      expect(text.split("\n")[0], file.path).toBe(`-- ${file.path}`);
      expect(text, file.path).toMatch(/^-- Teaching point: /m);
      expect(text, file.path).toMatch(/^-- Grain: /m);
      expect(text, file.path).toMatch(/^-- Why not /m);
    }
  });

  it("are all run by some target", () => {
    const config = migrateConfig({ target: "materialize" }, {});
    const sasl = migrateConfig({ target: "materialize" }, { MZ_KAFKA_SECURITY_PROTOCOL: "SASL_SSL", MZ_KAFKA_SASL_USERNAME: "u", MZ_KAFKA_SASL_PASSWORD: "p" });
    const run = new Set(
      [
        ...discoverSqlFiles(REPO_ROOT, SQL_TARGET_SPECS.materialize.folders, SQL_TARGET_SPECS.materialize.tags(config)),
        ...discoverSqlFiles(REPO_ROOT, SQL_TARGET_SPECS.materialize.folders, SQL_TARGET_SPECS.materialize.tags(sasl)),
        ...discoverSqlFiles(REPO_ROOT, SQL_TARGET_SPECS.reference.folders, ["reference"]),
      ].map((f) => f.path),
    );
    expect(migrationFiles.map((f) => f.path).filter((path) => !run.has(path))).toEqual([]);
  });
});
