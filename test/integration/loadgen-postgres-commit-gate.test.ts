// Behind Kafka, the Postgres sink copies a batch's rows while Kafka still sends the batch and
// commits only once Kafka has it (sink.ts, commit-gates.ts). Seen from another connection: the
// writer sits "idle in transaction" with the rows copied and invisible until the gate opens,
// and a refused gate leaves nothing behind.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postgresSink, type PostgresSink } from "../../loadgen/sinks/postgres.ts";
import { labDatabase, type LabDatabase } from "../helpers/lab-database.ts";
import { withClient } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { aControlLeadThatNeverConverts, aLeadThatConvertsAfterACoupon, arrival } from "../unit/loadgen-fixtures.ts";

const postgres = await usePostgres();
const retry = { timeoutMs: 5_000, timeoutSetting: "test", onRetry: () => {} };

interface Seen { leads: number; coupons: number; writerStates: string[] }

const writerWaiting = (db: LabDatabase) =>
  expectEventually(() => seen(db), (s) => expect(s.writerStates).toContain("idle in transaction"), {
    describe: "the writer waiting inside its transaction",
  });

const seen = (db: LabDatabase) =>
  withClient(db.adminUrl, async (c) => (await c.query<Seen>(`
    select (select count(*)::int from public.leads) as leads,
           (select count(*)::int from public.coupons) as coupons,
           (select coalesce(array_agg(state order by state), '{}') from pg_stat_activity
             where datname = current_database() and usename = $1 and xact_start is not null) as "writerStates"`,
  [new URL(db.loadgenUrl).username])).rows[0]!);

function deferred() {
  let open!: () => void;
  let refuse!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    refuse = reject;
  });
  return { promise, open, refuse };
}

describe.skipIf(!postgres.available)("the Postgres sink behind Kafka", () => {
  let db: LabDatabase;
  let sink: PostgresSink;

  beforeEach(async () => {
    if (!postgres.available) return;
    db = await labDatabase(postgres.adminUrl);
    sink = await postgresSink(db.loadgenUrl, retry);
  });
  afterEach(async () => {
    await sink?.[Symbol.asyncDispose]();
    await db?.[Symbol.asyncDispose]();
  });

  it("copies a batch before Kafka has it and commits it only once Kafka has it", async () => {
    const kafka = deferred();
    const written = sink.write([arrival(aLeadThatConvertsAfterACoupon(1)), arrival(aControlLeadThatNeverConverts(2))], { turn: Promise.resolve(), durableAfter: kafka.promise });
    // The rows are in, uncommitted: the writer waits inside its transaction, readers see nothing.
    const waiting = await writerWaiting(db);
    expect(waiting.leads).toBe(0);
    expect(waiting.coupons).toBe(0);
    kafka.open();
    await written;
    expect(await seen(db)).toEqual({ leads: 2, coupons: 1, writerStates: [] });
  });

  it("writes nothing of a batch Kafka failed, and says why", async () => {
    const kafka = deferred();
    const written = sink.write([arrival(aLeadThatConvertsAfterACoupon(3))], { turn: Promise.resolve(), durableAfter: kafka.promise });
    await writerWaiting(db);
    kafka.refuse(new Error("broker gone"));
    await expect(written).rejects.toThrow(/batch 1 was not committed: the sink before Postgres \(Kafka\) did not take it/);
    expect(await seen(db)).toEqual({ leads: 0, coupons: 0, writerStates: [] });
  });

  it("waits for each batch's own Kafka write, batch after batch", async () => {
    const [kafkaOne, kafkaTwo] = [deferred(), deferred()];
    const one = sink.write([arrival(aControlLeadThatNeverConverts(5))], { turn: Promise.resolve(), durableAfter: kafkaOne.promise });
    const two = sink.write([arrival(aControlLeadThatNeverConverts(6))], { turn: one, durableAfter: kafkaTwo.promise });
    kafkaOne.open();
    await one;
    const waiting = await writerWaiting(db);
    expect(waiting.leads).toBe(1); // batch 1 committed, batch 2 copied and waiting for its own gate
    kafkaTwo.open();
    await two;
    expect(await seen(db)).toEqual({ leads: 2, coupons: 0, writerStates: [] });
  });

  it("fails a batch it cannot encode in that batch's turn, after the batches before it are written", async () => {
    const kafkaOne = deferred();
    const one = sink.write([arrival(aControlLeadThatNeverConverts(7))], { turn: Promise.resolve(), durableAfter: kafkaOne.promise });
    const bad = aLeadThatConvertsAfterACoupon(8);
    const outcomes: string[] = [];
    const two = sink.write([arrival({ ...bad, coupon: { ...bad.coupon!, amount: 1.5 } })], { turn: one, durableAfter: Promise.resolve() })
      .then(() => outcomes.push("written"), (error: unknown) => outcomes.push(`failed: ${(error as Error).message}`));
    await writerWaiting(db);
    expect(outcomes).toEqual([]); // not ahead of batch 1
    kafkaOne.open();
    await one;
    await two;
    expect(outcomes).toEqual(["failed: COPY: coupon amount must be an integer, got 1.5"]);
    expect(await seen(db)).toEqual({ leads: 1, coupons: 0, writerStates: [] });
  });

  it("rolls back a batch still waiting for Kafka when it is closed, and closes", async () => {
    const written = sink.write([arrival(aControlLeadThatNeverConverts(9))], { turn: Promise.resolve(), durableAfter: new Promise<void>(() => {}) });
    const outcome = written.then(() => "written", () => "rolled back");
    await writerWaiting(db);
    await sink[Symbol.asyncDispose]();
    expect(await outcome).toBe("rolled back");
    expect(await seen(db)).toEqual({ leads: 0, coupons: 0, writerStates: [] });
    sink = undefined as unknown as PostgresSink; // closed: nothing for afterEach to close
  });

  it("commits at once a batch Kafka had before the rows were copied", async () => {
    await sink.write([arrival(aLeadThatConvertsAfterACoupon(4))], { turn: Promise.resolve(), durableAfter: Promise.resolve() });
    expect(await seen(db)).toEqual({ leads: 1, coupons: 1, writerStates: [] });
  });
});
