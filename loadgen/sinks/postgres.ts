// Writes leads, coupons and the conversion outbox to Postgres, and applies conversions when
// they fall due. Parameterized SQL only (the statements live in ./sql/). Every batch is one
// transaction (arrivals first, so a conversion always finds its lead) and idempotent, so after
// a lost connection the same batch is simply written again on a fresh connection
// (postgres-write.ts). Batches are written by a thread of their own (postgres-thread.ts); this
// module keeps a second connection for the start-up reads and writes of a run. Behind Kafka
// in a chain (sink.ts), a batch's rows are copied while Kafka still sends its predictions,
// and committed only once Kafka has them.

import pg from "pg";
import type { ConversionEvent } from "../sim/events.ts";
import type { Sink } from "./sink.ts";
import { readSql } from "./sql/read-sql.ts";
import { isTransient, retrying, type RetryPolicy } from "../retry.ts";
import { isoFromMs } from "../sim/time.ts";
import type { RunAnchor, RunFacts } from "../run-record.ts";
import { recordRun, writeReference } from "./postgres-run.ts";
import type { ReferenceRow } from "../sim/reference.ts";
import { postgresBatchOf, type PostgresBatch } from "./postgres-batch.ts";
import type { GateSignal, PostgresThreadData, PostgresThreadRequest } from "./postgres-thread.ts";
import { startThread } from "./worker-thread.ts";
import { reopeningConnection } from "./postgres-connection.ts";

const sql = {
  pendingConversions: readSql("pending-conversions.sql"),
  resumePoint: readSql("resume-point.sql"),
};

export interface ResumePoint {
  lastLeadId: number;
  lastCreatedAtMs: number | undefined;
}

export interface PostgresSink extends Sink {
  resumePoint(): Promise<ResumePoint>;
  pendingConversions(): Promise<ConversionEvent[]>;
  /** Finds or starts the run and writes its ground truth (postgres-run.ts). */
  recordRun(facts: RunFacts): Promise<RunAnchor>;
  /** Upserts model_reference_distribution (while the writer thread writes the first batches). */
  writeReference(rows: readonly ReferenceRow[]): Promise<void>;
}

export async function postgresSink(url: string, retry: RetryPolicy): Promise<PostgresSink> {
  const connection = reopeningConnection(url);
  const connected = () => connection.connected();
  const transaction = <T>(what: string, work: (c: pg.Client) => Promise<T>) =>
    retrying(what, retry, async () => {
      const c = await connected();
      try {
        await c.query("begin");
        const result = await work(c);
        await c.query("commit");
        return result;
      } catch (error) {
        await c.query("rollback").catch(() => {});
        await connection.drop();
        throw error;
      }
    });

  await retrying("connect to Postgres", retry, connected);
  const writer = startThread<PostgresThreadRequest>(new URL("./postgres-thread.ts", import.meta.url), { url } satisfies PostgresThreadData);
  try {
    await retrying("connect the Postgres writer", retry, () => writer.ask({ op: "connect" }));
  } catch (error) {
    await writer.stop();
    await connection.drop();
    throw error;
  }
  let lastGate = 0;
  return {
    name: "postgres",
    overlapsPrevious: true,
    async write(steps, order) {
      if (!order) {
        const batch = postgresBatchOf(steps);
        return retrying("write to Postgres", retry, () => writer.ask({ op: "write", batch }));
      }
      // Behind Kafka in a chain: the batch is encoded as soon as the chain has it (a batch that
      // cannot be fails in its turn, not ahead of the batches before it), handed to the writer
      // when the batch before is written, copied while Kafka may still be sending it and
      // committed once Kafka has it, told by a signal that reaches the writer's thread while
      // it waits inside the transaction.
      let batch: PostgresBatch;
      try {
        batch = postgresBatchOf(steps);
      } catch (error) {
        await order.turn;
        throw error;
      }
      await order.turn;
      const gate = ++lastGate;
      order.durableAfter.then(
        () => writer.signal({ gate, open: true } satisfies GateSignal),
        () => writer.signal({ gate, open: false } satisfies GateSignal),
      );
      const ask = () => writer.ask({ op: "write", batch, gate });
      // The first attempt includes the wait for Kafka, which has a deadline of its own: Postgres's
      // deadline starts when that attempt fails, so a slow Kafka does not use it up.
      try {
        return await ask();
      } catch (error) {
        if (!isTransient(error)) throw error;
        retry.onRetry?.("write to Postgres", 1, error, 0);
      }
      await retrying("write to Postgres", retry, ask);
    },
    async resumePoint() {
      const { rows } = await (await connected()).query(sql.resumePoint);
      const row = rows[0] as { last_lead_id: string; last_created_at: Date | null };
      return { lastLeadId: Number(row.last_lead_id), lastCreatedAtMs: row.last_created_at?.getTime() };
    },
    async pendingConversions() {
      const { rows } = await (await connected()).query(sql.pendingConversions);
      return (rows as { lead_id: string; due_at: Date; conversion_amount: number }[]).map((r) => ({
        type: "conversion",
        lead_id: Number(r.lead_id),
        converted_at: isoFromMs(r.due_at.getTime()),
        conversion_amount: r.conversion_amount,
      }));
    },
    recordRun: (facts) => transaction("record the run and its ground truth", (c) => recordRun(c, facts)),
    // One statement (atomic on its own), on the start-up connection: the writer thread has its own.
    writeReference: (rows) => retrying("write the model reference", retry, async () => {
      try {
        await writeReference(await connected(), rows);
      } catch (error) {
        await connection.drop();
        throw error;
      }
    }),
    async [Symbol.asyncDispose]() {
      // A write still waiting for Kafka (a chain waits for its writes first, so only when the
      // sink is closed mid-write) is rolled back, so the disconnect queued behind it comes.
      writer.signal({ gate: 1, open: false } satisfies GateSignal);
      await writer.ask({ op: "disconnect" }).catch(() => {});
      await writer.stop();
      await connection.drop();
    },
  };
}
