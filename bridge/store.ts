// The bridge's Postgres side: rows and offsets in one transaction, so a batch is stored exactly
// once however often Kafka delivers it (after a crash, a rebalance, a restart).

import { readFileSync } from "node:fs";
import pg from "pg";

const sql = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), "utf8");
const SQL = {
  offsetsTable: sql("10_offsets_table.sql"),
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
  storeBatch(partition: number, messages: readonly RawMessage[], allowGap?: boolean): Promise<StoredBatch>;
  close(): Promise<void>;
}

export async function openStore(url: string, topic: string): Promise<OffsetStore> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {}); // an idle client that lost its server: the pool replaces it
  try {
    await pool.query(SQL.offsetsTable);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    async readOffsets() {
      const { rows } = await pool.query<{ partition: number; next_offset: string }>(SQL.readOffsets, [topic]);
      return new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
    },
    storeBatch: (partition, messages, allowGap = false) =>
      inTransaction(pool, (client) => storeIn(client, topic, partition, messages, allowGap)),
    close: () => pool.end(),
  };
}

async function storeIn(client: pg.PoolClient, topic: string, partition: number, messages: readonly RawMessage[],
  allowGap: boolean): Promise<StoredBatch> {
  await client.query(SQL.claimOffset, [topic, partition]);
  const { rows } = await client.query<{ next_offset: string }>(SQL.lockOffset, [topic, partition]);
  const storedNext = BigInt(rows[0]?.next_offset ?? "0");
  const fresh = messages.filter((m) => m.offset >= storedNext);
  if (fresh.length === 0) return { stored: 0, skipped: messages.length, nextOffset: storedNext };
  const first = fresh.reduce((min, m) => (m.offset < min ? m.offset : min), fresh[0]!.offset);
  if (first > storedNext && !allowGap) return { gapFrom: storedNext, stored: 0, skipped: 0, nextOffset: storedNext };
  await client.query(SQL.insertRaw, [fresh.map((m) => m.text), fresh.map((m) => m.receivedAt.toISOString())]);
  const nextOffset = fresh.reduce((max, m) => (m.offset > max ? m.offset : max), storedNext - 1n) + 1n;
  await client.query(SQL.saveOffset, [topic, partition, nextOffset.toString()]);
  return { stored: fresh.length, skipped: messages.length - fresh.length, nextOffset };
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
