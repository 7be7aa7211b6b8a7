// Makes the database at --url a fresh reference engine for one run: an empty database gets the
// reference migration and evaluate's mark; a database marked by an earlier evaluate is migrated
// again (idempotent: new views arrive) and emptied of the earlier run. Any other database is
// refused: evaluate never empties data it did not write.

import { readFileSync } from "node:fs";
import pg from "pg";
import { readEnv } from "../config/env.ts";
import { ConfigError } from "../config/errors.ts";
import { migrateConfig } from "../config/migrate.ts";
import { redactUrl } from "../config/redact.ts";
import { runMigration } from "../scripts/migrate/run.ts";

export const EVALUATE_MARK = "ml-monitoring-lab evaluate";
const sql = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), "utf8");

export async function prepareDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: "lab-evaluate" });
  await client.connect();
  try {
    const state = (await client.query<{ tables: string; mark: string | null }>(sql("database-state.sql"))).rows[0];
    const tables = Number(state?.tables ?? 0);
    if (tables > 0 && state?.mark !== EVALUATE_MARK) {
      throw new ConfigError("--url", redactUrl(url), `an empty database, or one that npm run evaluate prepared before (this one holds ${tables} tables it did not create: create a new one, e.g. createdb lab_evaluate)`);
    }
    // Marked before the migration, so a first migration cut short leaves a database evaluate
    // still recognises as its own (and resets) instead of one it refuses.
    if (tables === 0) await client.query(sql("mark-database.sql"));
    await runMigration(migrateConfig({ target: "reference", url }, readEnv()), { log: () => {} });
    if (tables > 0) await client.query(sql("reset.sql"));
  } finally {
    await client.end().catch(() => {});
  }
}
