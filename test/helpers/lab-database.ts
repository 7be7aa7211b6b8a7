// A fresh database with the lab's Postgres schema applied by the real migration command,
// plus the URL the load generator uses (the least-privileged lab_loadgen role).

import { createTestDatabase } from "./postgres.ts";
import { runTool } from "./run-tool.ts";

export const LOADGEN_PASSWORD = "loadgen-test-pw1";

export interface LabDatabase extends AsyncDisposable {
  adminUrl: string;
  loadgenUrl: string;
}

export async function labDatabase(serverAdminUrl: string): Promise<LabDatabase> {
  const db = await createTestDatabase(serverAdminUrl);
  const migrated = await runTool("scripts/migrate.ts", ["--target", "postgres", "--url", db.url], {
    env: { LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD },
  });
  if (migrated.code !== 0) {
    await db.drop();
    throw new Error(`migrate --target postgres failed (${migrated.code}):\n${migrated.stderr}`);
  }
  const loadgenUrl = new URL(db.url);
  loadgenUrl.username = "lab_loadgen";
  loadgenUrl.password = LOADGEN_PASSWORD;
  return {
    adminUrl: db.url,
    loadgenUrl: loadgenUrl.toString(),
    [Symbol.asyncDispose]: () => db.drop(),
  };
}
