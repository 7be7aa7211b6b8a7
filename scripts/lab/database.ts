// The lab's database: created once, then migrated on every start (idempotent) with the same
// targets a user would run by hand: postgres, reference (the portable views beside the shop's
// tables) and kafka (the predictions topic).

import pg from "pg";
import type { Env } from "../../config/env.ts";
import { migrateConfig, type TargetName } from "../../config/migrate.ts";
import { runMigration } from "../migrate/run.ts";

export const LAB_DATABASE = "lab";
const TARGETS: readonly TargetName[] = ["postgres", "reference", "kafka"];

/** Creates database `lab` if absent; returns its superuser URL. */
export async function ensureLabDatabase(adminUrl: string, log: (line: string) => void): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [LAB_DATABASE]);
    if (rowCount === 0) {
      await client.query(`create database ${pg.escapeIdentifier(LAB_DATABASE)}`);
      log(`created database ${LAB_DATABASE}`);
    }
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${LAB_DATABASE}`;
  return url.toString();
}

export async function migrateLab(labUrl: string, brokers: readonly string[], env: Env, log: (line: string) => void): Promise<void> {
  for (const target of TARGETS) {
    const config = migrateConfig({ target, url: labUrl }, { ...env, KAFKA_BROKERS: brokers.join(",") });
    await runMigration(config, { log: (line) => log(`migrate --target ${target}: ${line}`) });
  }
}
