// Writes leads, coupons and the conversion outbox to Postgres, and applies conversions when
// they fall due. Parameterized SQL only (the statements live in ./sql/); new rows go by COPY
// when none of them is there yet (postgres-copy.ts). Every batch is one transaction (arrivals
// first, so a conversion always finds its lead) and idempotent, so after a lost connection
// the same batch is simply written again on a fresh connection.

import pg from "pg";
import type { ConversionEvent, LeadPlan } from "../sim/events.ts";
import { arrivalsIn, conversionsIn, type Sink } from "./sink.ts";
import { readSql } from "./sql/read-sql.ts";
import { retrying, type RetryPolicy } from "../retry.ts";
import { isoFromMs } from "../sim/time.ts";
import type { RunAnchor, RunFacts } from "../run-record.ts";
import { recordRun, writeReference } from "./postgres-run.ts";
import { copyArrivals } from "./postgres-copy.ts";
import type { ReferenceRow } from "../sim/reference.ts";

const sql = {
  insertLeads: readSql("insert-leads.sql"),
  insertCoupons: readSql("insert-coupons.sql"),
  scheduleConversions: readSql("schedule-conversions.sql"),
  applyConversions: readSql("apply-conversions.sql"),
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
  /** Upserts model_reference_distribution on a connection of its own. */
  writeReference(rows: readonly ReferenceRow[]): Promise<void>;
}

export async function postgresSink(url: string, retry: RetryPolicy): Promise<PostgresSink> {
  let client: pg.Client | undefined;
  const connected = async (): Promise<pg.Client> => {
    if (client) return client;
    const fresh = new pg.Client({ connectionString: url, application_name: "lab-loadgen" });
    fresh.on("error", () => {
      if (client === fresh) client = undefined; // a dropped connection: the next call reconnects
    });
    try {
      await fresh.connect();
    } catch (error) {
      await fresh.end().catch(() => {});
      throw error;
    }
    client = fresh;
    return fresh;
  };
  const transaction = <T>(what: string, work: (c: pg.Client) => Promise<T>) =>
    retrying(what, retry, async () => {
      const c = await connected();
      try {
        await c.query("begin");
        const result = await work(c);
        // `false` from a write: nothing to keep (COPY found a row there already).
        await c.query(result === false ? "rollback" : "commit");
        return result;
      } catch (error) {
        await c.query("rollback").catch(() => {});
        if (client === c) client = undefined;
        await c.end().catch(() => {});
        throw error;
      }
    });

  await retrying("connect to Postgres", retry, connected);
  return {
    name: "postgres",
    async write(steps) {
      const plans = arrivalsIn(steps);
      const conversions = conversionsIn(steps);
      const writeBatch = (insert: (c: pg.Client) => Promise<boolean>) => transaction("write to Postgres", async (c) => {
        if (plans.length > 0 && !(await insert(c))) return false;
        if (conversions.length > 0) await applyConversions(c, conversions);
        return true;
      });
      // A replayed batch finds its rows there already: COPY refuses it, the INSERTs skip them.
      const copied = await writeBatch((c) => copyArrivals(c, plans));
      if (!copied) await writeBatch(async (c) => (await insertArrivals(c, plans), true));
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
    // Its own connection: it runs while the sink's connection is busy writing leads.
    writeReference: (rows) => retrying("write the model reference", retry, async () => {
      const own = new pg.Client({ connectionString: url, application_name: "lab-loadgen" });
      own.on("error", () => {});
      try {
        await own.connect();
        await writeReference(own, rows);
      } finally {
        await own.end().catch(() => {});
      }
    }),
    async [Symbol.asyncDispose]() {
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}

async function insertArrivals(c: pg.Client, plans: readonly LeadPlan[]): Promise<void> {
  const leads = plans.map((p) => p.lead);
  await c.query(sql.insertLeads, [
    leads.map((l) => l.id), leads.map((l) => l.email), leads.map((l) => l.created_at),
    leads.map((l) => l.utm_source), leads.map((l) => l.utm_medium), leads.map((l) => l.utm_campaign),
    leads.map((l) => l.country_code), leads.map((l) => l.device_type),
  ]);
  const coupons = plans.flatMap((p) => (p.coupon ? [p.coupon] : []));
  if (coupons.length > 0) {
    await c.query(sql.insertCoupons, [
      coupons.map((v) => v.id), coupons.map((v) => v.lead_id), coupons.map((v) => v.amount), coupons.map((v) => v.created_at),
    ]);
  }
  const planned = plans.flatMap((p) => (p.conversion ? [p.conversion] : []));
  if (planned.length > 0) {
    await c.query(sql.scheduleConversions, [
      planned.map((v) => v.lead_id), planned.map((v) => v.converted_at), planned.map((v) => v.conversion_amount),
    ]);
  }
}

async function applyConversions(c: pg.Client, conversions: readonly ConversionEvent[]): Promise<void> {
  await c.query(sql.applyConversions, [
    conversions.map((v) => v.lead_id), conversions.map((v) => v.converted_at), conversions.map((v) => v.conversion_amount),
  ]);
}
