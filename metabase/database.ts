// The Materialize entry in Metabase: found by name, else created with the built-in PostgreSQL
// engine. Metabase tests the connection synchronously and answers 400 while Materialize is not
// reachable, so creation is retried until the timeout.

import type { Logger } from "pino";
import type { MetabaseConfig } from "../config/metabase.ts";
import type { MetabaseClient } from "./client.ts";
import { MetabaseHttpError, ProvisionError, serverMessage } from "./errors.ts";
import { setTimeout as sleep } from "node:timers/promises";

interface DatabaseRow {
  id: number;
  name: string;
  engine?: string;
  details?: Record<string, unknown>;
}


export function connectionDetails(config: MetabaseConfig): Record<string, unknown> {
  return {
    host: config.mzHost,
    port: config.mzPort,
    dbname: config.mzDatabase,
    user: config.mzUser,
    ...(config.mzPassword === "" ? {} : { password: config.mzPassword }),
    ssl: config.mzSsl,
  };
}

export interface EnsureDatabaseOptions {
  name: string;
  config: MetabaseConfig;
  timeoutMs: number;
  pollMs: number;
  log: Logger;
}

/** Returns the database id and whether it was created now. */
export async function ensureDatabase(client: MetabaseClient, o: EnsureDatabaseOptions): Promise<{ id: number; created: boolean }> {
  const listed = await client.get<{ data?: DatabaseRow[] } | DatabaseRow[]>("/api/database");
  const rows = Array.isArray(listed) ? listed : (listed.data ?? []);
  const existing = rows.find((d) => d.name === o.name);
  const details = connectionDetails(o.config);
  if (existing) {
    // Metabase never returns the stored password, so a configured one is always sent again.
    if (!sameConnection(existing.details ?? {}, details) || o.config.mzPassword !== "") {
      o.log.info({ database: o.name }, "updating the database entry's Materialize connection settings");
      await untilReachable(client, "PUT", `/api/database/${existing.id}`, { details }, o);
    }
    return { id: existing.id, created: false };
  }
  const body = { name: o.name, engine: "postgres", details, is_full_sync: false };
  const created = await untilReachable(client, "POST", "/api/database", body, o);
  o.log.info({ database: o.name, id: created.id }, "database entry created");
  // Schema sync runs in the background; the cards are native SQL and do not wait for it.
  const sync = await client.request("POST", `/api/database/${created.id}/sync_schema`);
  if (sync.status >= 300) o.log.warn({ status: sync.status, message: serverMessage(sync.body) }, "could not start a schema sync (harmless for native SQL cards)");
  return { id: created.id, created: true };
}

function sameConnection(current: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  return ["host", "port", "dbname", "user", "ssl"].every((k) => String(current[k] ?? "") === String(wanted[k] ?? ""));
}

/** Sends the request until Metabase stops answering 400 (Materialize unreachable) or the timeout passes. */
async function untilReachable(
  client: MetabaseClient,
  method: "POST" | "PUT",
  path: string,
  body: unknown,
  o: EnsureDatabaseOptions,
): Promise<{ id: number }> {
  const started = performance.now();
  for (;;) {
    const response = await client.request<{ id: number }>(method, path, { body, attemptTimeoutMs: 60_000 });
    if (response.status >= 200 && response.status < 300) return response.body;
    if (response.status !== 400) throw new MetabaseHttpError(method, path, response.status, response.body);
    const reason = serverMessage(response.body);
    const remainingMs = o.timeoutMs - (performance.now() - started);
    if (remainingMs <= 0) {
      const seconds = Math.round(o.timeoutMs / 1000);
      throw new ProvisionError(
        `Materialize at ${o.config.mzHost}:${o.config.mzPort} is unreachable from Metabase (database ${o.config.mzDatabase}, ` +
          `user ${o.config.mzUser}, ssl ${o.config.mzSsl}) after ${seconds} s: ${reason}. ` +
          `Start Materialize, or fix METABASE_MZ_HOST / METABASE_MZ_PORT (the address as Metabase's server sees it), ` +
          `or raise METABASE_TIMEOUT_SECONDS if it is just slow to start.`,
      );
    }
    o.log.info({ materialize: `${o.config.mzHost}:${o.config.mzPort}`, reason }, "Metabase cannot reach Materialize yet; retrying");
    await sleep(Math.min(o.pollMs, remainingMs));
  }
}
