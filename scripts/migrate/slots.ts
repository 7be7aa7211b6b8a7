// Before Materialize's Postgres source is created: drop the inactive `materialize%` slots that
// earlier emulators left in the lab's upstream database (sql/drop-stale-replication-slots.sql).
//
// Only when the source does not exist yet: an existing source owns a slot that may be only
// momentarily inactive (reconnecting). Connects to the upstream Postgres at
// MZ_PG_SLOT_CLEANUP_URL (default: built from MZ_PG_*); `none` skips the step.

import { readFileSync } from "node:fs";
import pg from "pg";
import type { HookContext } from "./apply.ts";
import { redactUrl } from "../../config/redact.ts";

/** The Postgres source's name in materialize/20_sources/10_postgres_source.sql. */
export const PG_SOURCE_NAME = "pg_source";
export const STALE_SLOT_PATTERN = "materialize%";

const sql = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), "utf8");

export async function dropStaleReplicationSlots({ client, config, log }: HookContext): Promise<void> {
  const existing = await client.query<{ sources: number }>(sql("source-exists.sql"), [PG_SOURCE_NAME]);
  if ((existing.rows[0]?.sources ?? 0) > 0) {
    log(`source ${PG_SOURCE_NAME} exists: upstream replication slots left alone`);
    return;
  }
  if (config.mzPgSlotCleanupUrl === undefined) {
    log("MZ_PG_SLOT_CLEANUP_URL=none: stale replication slots not checked");
    return;
  }
  const upstream = new pg.Client({ connectionString: config.mzPgSlotCleanupUrl, application_name: "lab-migrate" });
  try {
    await upstream.connect();
    const dropped = await upstream.query<{ slot_name: string }>(sql("drop-stale-replication-slots.sql"), [STALE_SLOT_PATTERN]);
    const names = dropped.rows.map((row) => row.slot_name);
    log(names.length === 0 ? "no stale replication slots upstream" : `dropped stale replication slots: ${names.join(", ")}`);
  } catch (error) {
    throw new Error(
      `dropping stale replication slots at ${redactUrl(config.mzPgSlotCleanupUrl)} failed: ${(error as Error).message} ` +
        "(set MZ_PG_SLOT_CLEANUP_URL to a URL this command can reach, or to none)",
    );
  } finally {
    await upstream.end().catch(() => undefined);
  }
}
