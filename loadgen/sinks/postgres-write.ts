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
    await beginAndInsertArrivalsSkippingExisting(c, batch);
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
  try {
    await runCopySequence(c, [{ statement: "begin" }, ...copiesOf(batch, {
      leads: "public.leads", coupons: "public.coupons", outbox: "loadgen.scheduled_conversions",
    })]);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return false;
    throw error;
  }
}

/** BEGIN, the rows into session tables, then whatever of them is not there yet: one round trip too. */
async function beginAndInsertArrivalsSkippingExisting(c: pg.Client, batch: PostgresBatch): Promise<void> {
  await runCopySequence(c, [
    { statement: "begin" },
    { statement: sql.stageArrivals },
    ...copiesOf(batch, { leads: "pg_temp.staged_leads", coupons: "pg_temp.staged_coupons", outbox: "pg_temp.staged_conversions" }),
    { statement: sql.insertStagedArrivals },
  ]);
}

/** A COPY per table with rows in the batch (nothing to send, no statement). */
function copiesOf(batch: PostgresBatch, tables: { leads: string; coupons: string; outbox: string }): CopyStep[] {
  const steps: CopyStep[] = [];
  const copy = (table: string, columns: string, rows: string) => {
    if (rows.length > 0) steps.push({ statement: `copy ${table} (${columns}) from stdin`, rows: Buffer.from(rows) });
  };
  copy(tables.leads, LEAD_COLUMNS, batch.leads);
  copy(tables.coupons, COUPON_COLUMNS, batch.coupons);
  copy(tables.outbox, OUTBOX_COLUMNS, batch.outbox);
  return steps;
}

async function applyConversions(c: pg.Client, batch: PostgresBatch): Promise<void> {
  if (!batch.conversions) return;
  const { leadIds, convertedAt, amounts } = batch.conversions;
  await c.query(sql.applyConversions, [leadIds, convertedAt, amounts]);
}
