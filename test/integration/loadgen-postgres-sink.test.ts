// The Postgres sink writes new rows by COPY and falls back to its idempotent INSERTs when a
// batch comes again (a replay after a commit whose acknowledgement was lost): whatever is
// written twice, each lead, coupon and outbox row is there once and a conversion applies once.
// A conversion that falls due in its lead's own batch is written with the lead (no outbox row).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresSink, type PostgresSink } from "../../loadgen/sinks/postgres.ts";
import { labDatabase, type LabDatabase } from "../helpers/lab-database.ts";
import { withClient } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";
import { postgresBatchOf } from "../../loadgen/sinks/postgres-batch.ts";
import { aControlLeadThatNeverConverts, aLeadThatConvertsAfterACoupon, arrival, conversion, conversionOf } from "../unit/loadgen-fixtures.ts";

const postgres = await usePostgres();
const retry = { timeoutMs: 5_000, timeoutSetting: "test", onRetry: () => {} };

const counts = (url: string) =>
  withClient(url, async (c) => (await c.query<{ leads: number; coupons: number; outbox: number; converted: number; applied: number }>(`
    select (select count(*)::int from public.leads) as leads,
           (select count(*)::int from public.coupons) as coupons,
           (select count(*)::int from loadgen.scheduled_conversions) as outbox,
           (select count(*)::int from public.leads where converted_at is not null) as converted,
           (select count(*)::int from loadgen.scheduled_conversions s join public.leads l on l.id = s.lead_id
             where l.converted_at = s.due_at) as applied`)).rows[0]!);

describe.skipIf(!postgres.available)("the Postgres sink", () => {
  let db: LabDatabase;
  let sink: PostgresSink;

  beforeAll(async () => {
    if (!postgres.available) return;
    db = await labDatabase(postgres.adminUrl);
    sink = await postgresSink(db.loadgenUrl, retry);
  });
  afterAll(async () => {
    await sink?.[Symbol.asyncDispose]();
    await db?.[Symbol.asyncDispose]();
  });

  it("writes a batch once however often it comes, including one that overlaps an earlier batch", async () => {
    const [one, two, three] = [aLeadThatConvertsAfterACoupon(1), aControlLeadThatNeverConverts(2), aLeadThatConvertsAfterACoupon(3)];
    await sink.write([arrival(one), arrival(two)]);
    await sink.write([arrival(one), arrival(two)]);
    await sink.write([arrival(two), arrival(three)]);
    expect(await counts(db.adminUrl)).toEqual({ leads: 3, coupons: 2, outbox: 2, converted: 0, applied: 0 });
    await sink.write([conversion(one), conversion(three)]);
    await sink.write([conversion(one), conversion(three)]);
    expect(await counts(db.adminUrl)).toEqual({ leads: 3, coupons: 2, outbox: 2, converted: 2, applied: 2 });
  });

  it("writes a conversion that falls due in its lead's batch with the lead, without an outbox row, once however often it comes", async () => {
    const lead = aLeadThatConvertsAfterACoupon(20);
    const before = await counts(db.adminUrl);
    await sink.write([arrival(lead), conversion(lead)]);
    await sink.write([arrival(lead), conversion(lead)]);
    const after = await counts(db.adminUrl);
    expect({ leads: after.leads - before.leads, coupons: after.coupons - before.coupons, outbox: after.outbox - before.outbox, converted: after.converted - before.converted })
      .toEqual({ leads: 1, coupons: 1, outbox: 0, converted: 1 });
    const stored = await withClient(db.adminUrl, async (c) => (await c.query<{ converted_at: Date; conversion_amount: number }>(
      "select converted_at, conversion_amount from public.leads where id = 20")).rows[0]);
    const expected = conversionOf(lead);
    expect({ at: stored?.converted_at.getTime(), amount: stored?.conversion_amount })
      .toEqual({ at: Date.parse(expected.converted_at), amount: expected.conversion_amount });
  });

  it("stores text with tabs, newlines and backslashes exactly as given", async () => {
    const plan = aControlLeadThatNeverConverts(4);
    const email = "tab\there.new\nline\\back\rslash@example.test";
    await sink.write([arrival({ ...plan, lead: { ...plan.lead, email } })]);
    const stored = await withClient(db.adminUrl, async (c) => (await c.query<{ email: string }>("select email from public.leads where id = 4")).rows[0]?.email);
    expect(stored).toBe(email);
  });

  it("hands the conversions over as array text that Postgres reads back as the same values", async () => {
    const due = [[7, "2026-01-01T00:00:00.000+00:00", 1], [8, 'a"quote, a\\backslash {and} braces', 2_000_000]] as const;
    const batch = postgresBatchOf(due.map(([lead_id, converted_at, conversion_amount]) => ({
      kind: "conversion" as const, atMs: 0, conversion: { type: "conversion" as const, lead_id, converted_at, conversion_amount },
    })));
    const read = await withClient(db.adminUrl, async (c) => (await c.query<{ ids: string[]; times: string[]; amounts: number[] }>(
      "select $1::bigint[]::text[] as ids, $2::text[] as times, $3::integer[] as amounts",
      [batch.conversions!.leadIds, batch.conversions!.convertedAt, batch.conversions!.amounts],
    )).rows[0]!);
    expect(read).toEqual({ ids: ["7", "8"], times: due.map((d) => d[1]), amounts: [1, 2_000_000] });
  });
});
