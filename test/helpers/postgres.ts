// A fresh database per test suite on a shared server, so suites never see each other's tables.
//
//   await using db = await createTestDatabase(pg.adminUrl);   // dropped when the scope ends
//   // or: const db = await createTestDatabase(...); afterAll(() => db.drop());

import { randomBytes } from "node:crypto";
import pg from "pg";

export interface TestDatabase extends AsyncDisposable {
  /** Connection URL of the new database (the admin URL with the database name replaced). */
  url: string;
  name: string;
  /** Terminates leftover connections and drops the database; safe to call twice. */
  drop(): Promise<void>;
}

export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `lab_test_${randomBytes(6).toString("hex")}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  let dropped: Promise<void> | undefined;
  const drop = () => (dropped ??= dropDatabase(adminUrl, name));
  return { url: withDatabase(adminUrl, name), name, drop, [Symbol.asyncDispose]: drop };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  // WITH (FORCE) (Postgres 13+) terminates the connections a suite left open, then drops, atomically.
  await withClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

/** The same server URL pointing at another database; user, password and query string are kept. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Runs `use` on a fresh connection to `url`, always closing it. */
export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
