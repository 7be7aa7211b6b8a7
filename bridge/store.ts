// The bridge's Postgres side: rows and offsets in one transaction, so a batch is stored exactly
// once however often Kafka delivers it (after a crash, a rebalance, a restart).

import { readFileSync } from "node:fs";
import pg from "pg";

const sql = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), "utf8");
const SQL = {
  checkTables: sql("check-tables.sql"),
  claimOffset: sql("claim-offset.sql"),
  lockOffset: sql("lock-offset.sql"),
  readOffsets: sql("read-offsets.sql"),
  insertRaw: sql("insert-raw.sql"),
  saveOffset: sql("save-offset.sql"),
};

/** One Kafka message as the raw table keeps it. */
export interface RawMessage {
  offset: bigint;
  /** The value as UTF-8 text; null when the message has no value. */
  text: string | null;
  receivedAt: Date;
}

/** One fetched batch: its messages, and the offset slots it spans. Kafka puts a transaction's
 *  commit marker (a control record) in an offset slot of its own that is never delivered as a
 *  message, so these bounds come from the batch, not from its messages. */
export interface FetchedBatch {
  /** The first offset the fetch returned, control records included. */
  firstOffset: bigint;
  /** One past the last offset the batch covers, control records included. */
  nextOffset: bigint;
  messages: readonly RawMessage[];
}

export interface StoredBatch {
  /** Set when the batch starts after the stored position (nothing stored): seek back to it. */
  gapFrom?: bigint;
  stored: number;
  /** Messages at offsets below the stored position: already in the table, skipped. */
  skipped: number;
  nextOffset: bigint;
}

export interface OffsetStore {
  /** The stored next offset per partition of the topic (absent: never consumed). */
  readOffsets(): Promise<Map<number, bigint>>;
  /** `allowGap`: store a batch that starts after the stored position (the messages between were deleted). */
  storeBatch(partition: number, batch: FetchedBatch, allowGap?: boolean): Promise<StoredBatch>;
  close(): Promise<void>;
}

export async function openStore(url: string, topic: string): Promise<OffsetStore> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {}); // an idle client that lost its server: the pool replaces it
  try {
    await checkTables(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    async readOffsets() {
      const { rows } = await pool.query<{ partition: number; next_offset: string }>(SQL.readOffsets, [topic]);
      return new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
    },
    storeBatch: (partition, batch, allowGap = false) =>
      inTransaction(pool, (client) => storeIn(client, topic, partition, batch, allowGap)),
    close: () => pool.end(),
  };
}

/** Thrown when the database lacks the bridge's tables or grants: no retry helps, the fix is a migration. */
export class BridgeSetupError extends Error {
  override name = "BridgeSetupError";
}

async function checkTables(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<Record<string, boolean | null | string>>(SQL.checkTables);
  const found = rows[0]!;
  const missing = [
    !found.raw_table_exists && "table public.conversion_predictions_raw",
    !found.offsets_table_exists && "table lab_bridge.consumed_offsets",
    found.can_insert_raw === false && "insert on public.conversion_predictions_raw",
    found.can_keep_offsets === false && "select, insert, update on lab_bridge.consumed_offsets",
  ].filter((item): item is string => typeof item === "string");
  if (missing.length === 0) return;
  throw new BridgeSetupError(`role ${String(found.login_role)} lacks ${missing.join("; ")}: migrate the database with ` +
    "`npm run migrate -- --target reference` (it creates both tables and the role lab_bridge), and connect as lab_bridge");
}

async function storeIn(client: pg.PoolClient, topic: string, partition: number, batch: FetchedBatch,
  allowGap: boolean): Promise<StoredBatch> {
  await client.query(SQL.claimOffset, [topic, partition]);
  const { rows } = await client.query<{ next_offset: string }>(SQL.lockOffset, [topic, partition]);
  const storedNext = BigInt(rows[0]?.next_offset ?? "0");
  const { messages } = batch;
  const fresh = messages.filter((m) => m.offset >= storedNext);
  const skipped = messages.length - fresh.length;
  // Slots before the first delivered message that the fetch did return (control records, aborted
  // messages) are no gap: only a batch whose fetch began after the stored position is one.
  if (fresh.length > 0 && batch.firstOffset > storedNext && !allowGap) return { gapFrom: storedNext, stored: 0, skipped: 0, nextOffset: storedNext };
  const nextOffset = batch.nextOffset > storedNext ? batch.nextOffset : storedNext;
  if (nextOffset === storedNext) return { stored: 0, skipped, nextOffset };
  if (fresh.length > 0) {
    await client.query(SQL.insertRaw, [fresh.map((m) => m.text), fresh.map((m) => m.receivedAt.toISOString())]);
  }
  await client.query(SQL.saveOffset, [topic, partition, nextOffset.toString()]);
  return { stored: fresh.length, skipped, nextOffset };
}

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    failure = error as Error;
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release(failure); // a client that failed is discarded, not reused
  }
}

/** Postgres text cannot hold NUL: a value with one keeps its other characters, NUL shown as U+FFFD. */
export function messageText(value: Buffer | null): string | null {
  return value === null ? null : value.toString("utf8").replaceAll("\u0000", "\uFFFD");
}
