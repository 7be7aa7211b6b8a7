// One batch into Postgres, in one transaction: BEGIN and the new rows by COPY, sent as one query
// (one round trip, copy-sequence.ts; a lead whose conversion falls due in this batch comes
// converted, postgres-batch.ts), then the conversions that fell due for earlier leads (arrivals
// first, so a conversion always finds its lead), then COMMIT once the caller allows it (Kafka
// has the batch's predictions, commit-gates.ts). COPY is several times cheaper for the server
// than INSERT … SELECT FROM unnest(arrays), but it cannot skip a row that is already there: for
// a batch written before (replayed after a lost connection) it fails with a unique violation,
// the transaction is rolled back, and the batch is written again through session tables that
// skip what is there (stage-arrivals.sql). Either way no lead is ever written twice, and a
// second write of the same batch changes nothing.

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { COUPON_COLUMNS, LEAD_COLUMNS, OUTBOX_COLUMNS, type PostgresBatch } from "./postgres-batch.ts";
import { readSql } from "./sql/read-sql.ts";
import { runCopySequence, type CopyStep } from "./copy-sequence.ts";

const UNIQUE_VIOLATION = "23505";

const sql = {
  applyConversions: readSql("apply-conversions.sql"),
  stageArrivals: readSql("stage-arrivals.sql"),
  insertStagedArrivals: readSql("insert-staged-arrivals.sql"),
};

/**
 * Writes the batch; throws what Postgres or the connection threw (the caller judges and retries).
 * `beforeCommit`, when given, is awaited just before COMMIT: if it throws, nothing is written.
 */
export async function writeBatch(c: pg.Client, batch: PostgresBatch, beforeCommit?: () => Promise<void>): Promise<void> {
  const copied = await inTransaction(c, async () => {
    if (!(await beginAndCopyArrivals(c, batch))) return false;
    await applyConversions(c, batch);
    await beforeCommit?.();
    return true;
  });
  if (copied) return;
  await inTransaction(c, async () => {
    await c.query("begin");
    await insertArrivalsSkippingExisting(c, batch);
    await applyConversions(c, batch);
    await beforeCommit?.();
    return true;
  });
}

/** `work` begins the transaction; commits when it returns true, rolls back when it returns false or throws. */
async function inTransaction(c: pg.Client, work: () => Promise<boolean>): Promise<boolean> {
  try {
    const keep = await work();
    await c.query(keep ? "commit" : "rollback");
    return keep;
  } catch (error) {
    // Also when the transaction never began: Postgres then only warns.
    await c.query("rollback").catch(() => {});
    throw error;
  }
}

/**
 * BEGIN and the new rows' COPYs, in one round trip (copy-sequence.ts). False (the transaction
 * is aborted, nothing written) when a row was there already.
 */
async function beginAndCopyArrivals(c: pg.Client, batch: PostgresBatch): Promise<boolean> {
  const steps: CopyStep[] = [{ statement: "begin" }];
  const copy = (statement: string, rows: string) => {
    if (rows.length > 0) steps.push({ statement, rows: Buffer.from(rows) });
  };
  copy(`copy public.leads (${LEAD_COLUMNS}) from stdin`, batch.leads);
  copy(`copy public.coupons (${COUPON_COLUMNS}) from stdin`, batch.coupons);
  copy(`copy loadgen.scheduled_conversions (${OUTBOX_COLUMNS}) from stdin`, batch.outbox);
  try {
    await runCopySequence(c, steps);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return false;
    throw error;
  }
}

async function insertArrivalsSkippingExisting(c: pg.Client, batch: PostgresBatch): Promise<void> {
  await c.query(sql.stageArrivals);
  await copyIn(c, `copy pg_temp.staged_leads (${LEAD_COLUMNS}) from stdin`, batch.leads);
  await copyIn(c, `copy pg_temp.staged_coupons (${COUPON_COLUMNS}) from stdin`, batch.coupons);
  await copyIn(c, `copy pg_temp.staged_conversions (${OUTBOX_COLUMNS}) from stdin`, batch.outbox);
  await c.query(sql.insertStagedArrivals);
}

async function applyConversions(c: pg.Client, batch: PostgresBatch): Promise<void> {
  if (!batch.conversions) return;
  const { leadIds, convertedAt, amounts } = batch.conversions;
  await c.query(sql.applyConversions, [leadIds, convertedAt, amounts]);
}

/** Nothing to send, no round trip. */
async function copyIn(c: pg.Client, statement: string, rows: string): Promise<void> {
  if (rows.length === 0) return;
  await pipeline(Readable.from([Buffer.from(rows)]), c.query(copyFrom(statement)));
}
