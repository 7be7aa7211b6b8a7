// After provisioning, run every card once (POST /api/card/:id/query) and check that Metabase
// says "completed". An empty result is fine (no matured leads yet); an error is reported.

import type { Logger } from "pino";
import type { MetabaseClient } from "./client.ts";
import { serverMessage } from "./errors.ts";

export interface SmokeResult {
  card: string;
  id: number;
  ok: boolean;
  rows?: number;
  error?: string;
}

interface QueryAnswer {
  status?: string;
  row_count?: number;
  data?: { rows?: unknown[] };
  error?: unknown;
}

export async function smokeCheck(client: MetabaseClient, cards: ReadonlyArray<{ name: string; id: number }>, log: Logger): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  for (const { name, id } of cards) {
    // The card query endpoint has answered 202 even for failed queries: trust the body's status.
    const { status, body } = await client.request<QueryAnswer>("POST", `/api/card/${id}/query`, { body: { ignore_cache: true }, attemptTimeoutMs: 120_000 });
    if (status < 300 && body?.status === "completed") {
      const rows = body.row_count ?? body.data?.rows?.length ?? 0;
      results.push({ card: name, id, ok: true, rows });
    } else {
      const error = body?.error !== undefined ? serverMessage({ message: String(body.error) }) : `HTTP ${status}: ${serverMessage(body)}`;
      results.push({ card: name, id, ok: false, error });
      log.error({ card: name, id, error }, "card query failed");
    }
  }
  const empty = results.filter((r) => r.ok && r.rows === 0).map((r) => r.card);
  if (empty.length > 0) log.warn({ cards: empty }, "these cards ran but returned no rows: classifier_metrics is empty (is the load generator running?)");
  return results;
}
