// The floors for `npm run bench`: the work the issue that set the generator's target counts as
// the least any design must make Postgres do for the same leads — COPY the leads, COPY the
// coupons, COPY the conversions into a temporary table and apply them with one set-based
// UPDATE ("update") — in one transaction, on the same server, into a freshly migrated database.
// The generator writes a conversion that falls due in its lead's own batch with the lead, so it
// skips part of that UPDATE; the second floor ("with-lead") skips all of it: every conversion is
// in its lead's COPY row, the least work there is. The rows are the generator's own, read back
// from its database before the clock starts, so a floor writes exactly what the generator wrote.
// Timed from BEGIN to the durable COMMIT; measures, asserts nothing.

import { pipeline } from "node:stream/promises";
import { Readable, Writable } from "node:stream";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { withClient } from "../test/helpers/postgres.ts";

const LEAD_COLUMNS = "id, email, created_at, utm_source, utm_medium, utm_campaign, country_code, device_type";
const COUPON_COLUMNS = "id, lead_id, amount, created_at";

export type FloorKind = "update" | "with-lead";

/** What the generator wrote, as COPY text, ready to be written again. */
export interface FloorRows {
  leads: Buffer;
  /** The leads with converted_at and conversion_amount (the "with-lead" floor). */
  convertedLeads: Buffer;
  coupons: Buffer;
  conversions: Buffer;
  leadCount: number;
}

export async function readFloorRows(generatorDbUrl: string): Promise<FloorRows> {
  return withClient(generatorDbUrl, async (c) => ({
    leads: await copyOut(c, `copy (select ${LEAD_COLUMNS} from public.leads order by id) to stdout`),
    convertedLeads: await copyOut(c, `copy (select ${LEAD_COLUMNS}, converted_at, conversion_amount from public.leads order by id) to stdout`),
    coupons: await copyOut(c, `copy (select ${COUPON_COLUMNS} from public.coupons order by id) to stdout`),
    conversions: await copyOut(
      c, "copy (select id, converted_at, conversion_amount from public.leads where converted_at is not null order by id) to stdout",
    ),
    leadCount: (await c.query<{ n: number }>("select count(*)::int as n from public.leads")).rows[0]!.n,
  }));
}

/** Seconds the floor takes on an empty, freshly migrated database (emptied again afterwards). */
export async function measureFloorSeconds(emptyDbUrl: string, rows: FloorRows, kind: FloorKind = "update"): Promise<number> {
  return withClient(emptyDbUrl, async (c) => {
    const started = performance.now();
    await c.query("begin");
    if (kind === "with-lead") {
      await copyIn(c, `copy public.leads (${LEAD_COLUMNS}, converted_at, conversion_amount) from stdin`, rows.convertedLeads);
    } else {
      await copyIn(c, `copy public.leads (${LEAD_COLUMNS}) from stdin`, rows.leads);
    }
    await copyIn(c, `copy public.coupons (${COUPON_COLUMNS}) from stdin`, rows.coupons);
    if (kind === "update") {
      await c.query("create temporary table due (lead_id bigint, converted_at timestamptz, conversion_amount integer) on commit drop");
      await copyIn(c, "copy due from stdin", rows.conversions);
      await c.query(
        "update public.leads as l set converted_at = due.converted_at, conversion_amount = due.conversion_amount from due where l.id = due.lead_id",
      );
    }
    await c.query("commit");
    const seconds = (performance.now() - started) / 1000;
    await c.query("truncate public.coupons, public.leads cascade");
    return seconds;
  });
}

async function copyOut(c: pg.Client, statement: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(c.query(copyTo(statement)), new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  }));
  return Buffer.concat(chunks);
}

async function copyIn(c: pg.Client, statement: string, text: Buffer): Promise<void> {
  await pipeline(Readable.from([text]), c.query(copyFrom(statement)));
}
