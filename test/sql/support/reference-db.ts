// A fresh database with `npm run migrate -- --target reference` applied (in-process), and a
// client on it. Roles are cluster-wide: the role passwords are set exactly as the other test
// helpers set them (test/helpers/lab-database.ts: the environment, with the test's lab_loadgen
// password), so suites running side by side on one server agree on them.

import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { readEnv } from "../../../config/env.ts";
import { migrateConfig } from "../../../config/migrate.ts";
import { runMigration } from "../../../scripts/migrate/run.ts";
import { LOADGEN_PASSWORD } from "../../helpers/lab-database.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/postgres.ts";

export interface ReferenceDatabase extends AsyncDisposable {
  url: string;
  client: pg.Client;
  database: TestDatabase;
}

export async function referenceDatabase(adminUrl: string): Promise<ReferenceDatabase> {
  const database = await createTestDatabase(adminUrl);
  try {
    await migrateReference(database.url);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const dispose = async () => {
    await client.end().catch(() => undefined);
    await database.drop();
  };
  return { url: database.url, client, database, [Symbol.asyncDispose]: dispose };
}

const referenceConfig = (url: string) => migrateConfig({ target: "reference", url }, { ...readEnv(), LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD });

export async function migrateReference(url: string, log?: (line: string) => void): Promise<void> {
  await runMigration(referenceConfig(url), { log });
}

/** The database's URL as the bridge's least-privileged role, with the password the migration set. */
export function bridgeRoleUrl(url: string): string {
  const asBridge = new URL(url);
  asBridge.username = "lab_bridge";
  asBridge.password = referenceConfig(url).bridgePgPassword;
  return asBridge.toString();
}

/**
 * For a describe block: a reference database made before its tests and dropped after them.
 * Returns a getter, since the database exists only once `beforeAll` has run.
 */
export function referenceDatabaseForSuite(adminUrl: string | undefined): () => ReferenceDatabase {
  let db: ReferenceDatabase | undefined;
  beforeAll(async () => {
    if (adminUrl !== undefined) db = await referenceDatabase(adminUrl);
  });
  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });
  return () => {
    if (!db) throw new Error("the reference database is not ready (no Postgres, or beforeAll failed)");
    return db;
  };
}
