// The reference engine's cache of parsed prediction messages
// (materialize/30_staging/26_stg_prediction_messages_cache.reference.sql): after any sequence of
// inserts, deletes, updates and truncates of the raw table, stg_prediction_messages (which reads
// the cache) returns exactly the rows of the portable parse run afresh on the raw table. The
// oracle is the portable file itself, created under another name, so it parses on every read.
//
// Messages: the load generator's own, and every malformed kind the other tests use. Broker
// times come from a small set, so several messages share one (a delete or update by time
// touches several), and evaluation times sit on the 16-minute edge of the temporal filter.

import fc from "fast-check";
import { readFileSync } from "node:fs";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodePrediction } from "../../loadgen/sinks/prediction-message.ts";
import { makeProfile } from "../../loadgen/sim/profiles/index.ts";
import { simulate } from "../../loadgen/sim/simulate.ts";
import { usePostgres } from "../helpers/services.ts";
import { iso, truncateInputs } from "./support/dataset.ts";
import { at } from "./support/fixtures.ts";
import { MALFORMED_KINDS } from "./support/malformed.ts";
import { migrateReference, referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

const KEPT_MS = 16 * 60_000; // the bound of 25_stg_prediction_messages.sql, stated by hand

/** The generator's messages for a few leads, then each malformed kind made from one of them. */
function messagePool(): Array<string | null> {
  const steps = simulate({ seed: "message-cache", profile: makeProfile("default"), startMs: at(0), firstLeadId: 1, ratePerSecond: 50, leads: 12 });
  const predictions = [...steps].flatMap((step) => (step.kind === "arrival" ? [step.plan.prediction] : []));
  const generated = predictions.map((p) => encodePrediction(p));
  const malformed = MALFORMED_KINDS.map((kind, i) => kind.text(predictions[i % predictions.length]!));
  return [...generated, ...malformed];
}

const POOL = messagePool();
/** Broker times: a few whole seconds apart, so a time is often shared by several messages. */
const RECEIVED_MS = [0, 1, 2, 5, 60, 600, 959].map((s) => at(s));

type Op =
  | { kind: "insert"; messages: Array<{ text: number; receivedAt: number }> }
  | { kind: "delete by time"; receivedAt: number }
  | { kind: "delete by text"; text: number }
  | { kind: "move in time"; receivedAt: number; to: number }
  | { kind: "rewrite text"; text: number; to: number }
  | { kind: "truncate" };

const textIndex = fc.integer({ min: 0, max: POOL.length - 1 });
const timeIndex = fc.integer({ min: 0, max: RECEIVED_MS.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("insert" as const), messages: fc.array(fc.record({ text: textIndex, receivedAt: timeIndex }), { minLength: 1, maxLength: 12 }) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("delete by time" as const), receivedAt: timeIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("delete by text" as const), text: textIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("move in time" as const), receivedAt: timeIndex, to: timeIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("rewrite text" as const), text: textIndex, to: textIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("truncate" as const) }), weight: 1 },
);

/** Evaluation times: before everything, inside, exactly on and just past a message's 16-minute edge. */
const nowArb = fc.oneof(
  fc.constant("-infinity"),
  fc.integer({ min: 0, max: 1_100 }).map((s) => iso(at(s))),
  fc.tuple(timeIndex, fc.constantFrom(-1, 0, 1)).map(([i, deltaMs]) => iso(RECEIVED_MS[i]! + KEPT_MS + deltaMs)),
);

describe.skipIf(!pg.available)("the parsed-message cache of the reference engine", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);
  const client = () => reference().client;

  beforeAll(async () => {
    const portable = readFileSync(new URL("../../materialize/30_staging/25_stg_prediction_messages.sql", import.meta.url), "utf8");
    const oracle = portable.replace(/^create view if not exists stg_prediction_messages as$/m, "create or replace view stg_prediction_messages_uncached as");
    expect(oracle, "the portable file's create statement moved: update this test").not.toBe(portable);
    await client().query(oracle);
  });
  beforeEach(async () => {
    await truncateInputs(client());
  });

  async function rowsAt(view: string, now: string): Promise<string[]> {
    await client().query("select set_config('lab.now', $1, false)", [now]);
    const { rows } = await client().query<{ row: string }>(`select row_to_json(m)::text as row from ${view} as m order by 1`);
    return rows.map((r) => r.row);
  }

  async function expectSameRows(now: string, context: string): Promise<number> {
    const expected = await rowsAt("stg_prediction_messages_uncached", now);
    expect(await rowsAt("stg_prediction_messages", now), `${context} at lab.now = ${now}`).toEqual(expected);
    return expected.length;
  }

  async function apply(op: Op): Promise<void> {
    const c = client();
    switch (op.kind) {
      case "insert":
        await c.query("insert into conversion_predictions_raw (text, received_at) select * from unnest($1::text[], $2::timestamptz[])", [
          op.messages.map((m) => POOL[m.text]),
          op.messages.map((m) => iso(RECEIVED_MS[m.receivedAt]!)),
        ]);
        return;
      case "delete by time":
        await c.query("delete from conversion_predictions_raw where received_at = $1", [iso(RECEIVED_MS[op.receivedAt]!)]);
        return;
      case "delete by text":
        await c.query("delete from conversion_predictions_raw where text is not distinct from $1", [POOL[op.text]]);
        return;
      case "move in time":
        await c.query("update conversion_predictions_raw set received_at = $2 where received_at = $1", [iso(RECEIVED_MS[op.receivedAt]!), iso(RECEIVED_MS[op.to]!)]);
        return;
      case "rewrite text":
        await c.query("update conversion_predictions_raw set text = $2 where text is not distinct from $1", [POOL[op.text], POOL[op.to]]);
        return;
      case "truncate":
        await c.query("truncate conversion_predictions_raw");
    }
  }

  it("returns exactly the rows of the uncached portable parse after any inserts, deletes, updates and truncates", async () => {
    let rowsCompared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(opArb, nowArb), { minLength: 1, maxLength: 8 }), async (steps) => {
        await truncateInputs(client());
        for (const [index, [op, now]] of steps.entries()) {
          await apply(op);
          const context = `after step ${index + 1} (${op.kind}) of ${JSON.stringify(steps.map(([o]) => o))}`;
          rowsCompared += await expectSameRows(now, context);
          rowsCompared += await expectSameRows("-infinity", context);
        }
      }),
      { seed: 20261201, numRuns: 60 },
    );
    // Not vacuous: the comparisons saw rows, valid and rejected ones.
    expect(rowsCompared).toBeGreaterThan(1_000);
  });

  it("holds the generator's messages as valid and every malformed kind as rejected", async () => {
    await apply({ kind: "insert", messages: POOL.map((_, i) => ({ text: i, receivedAt: 0 })) });
    await client().query("select set_config('lab.now', $1, false)", [iso(at(1))]);
    const { rows } = await client().query<{ valid: string; rejected: string }>(
      "select count(*) filter (where is_valid) as valid, count(*) filter (where not is_valid) as rejected from stg_prediction_messages",
    );
    expect({ valid: Number(rows[0]!.valid), rejected: Number(rows[0]!.rejected) }).toEqual({
      valid: POOL.length - MALFORMED_KINDS.length,
      rejected: MALFORMED_KINDS.length,
    });
  });

  it("rebuilds and refills itself when a migration brings a different parse, keeping messages received before", async () => {
    await apply({ kind: "insert", messages: POOL.map((_, i) => ({ text: i, receivedAt: i % RECEIVED_MS.length })) });
    // A cache made by an older parse: its insert trigger's body differs from today's.
    await client().query(
      "create or replace function stg_prediction_messages_cache_after_insert() returns trigger language plpgsql as 'begin return null; end'",
    );
    await client().query("delete from stg_prediction_messages_cache where not is_valid");
    expect(await rowsAt("stg_prediction_messages", "-infinity")).not.toEqual(await rowsAt("stg_prediction_messages_uncached", "-infinity"));

    await migrateReference(reference().url);

    expect(await expectSameRows("-infinity", "after the migration")).toBe(POOL.length);
    await apply({ kind: "insert", messages: [{ text: 0, receivedAt: 3 }] });
    expect(await expectSameRows("-infinity", "after an insert that follows the migration")).toBe(POOL.length + 1);
  });

  it("puts back a trigger dropped by hand when the migration runs again, so new messages reach the cache", async () => {
    await client().query("drop trigger stg_prediction_messages_cache_after_insert on conversion_predictions_raw");
    await migrateReference(reference().url);
    const before = await expectSameRows("-infinity", "after the migration");
    await apply({ kind: "insert", messages: [{ text: 0, receivedAt: 1 }] });
    expect(await expectSameRows("-infinity", "after an insert that follows the migration")).toBe(before + 1);
  });

  it("reads only the newest 16 minutes of the cache through its index on expires_at", async () => {
    await client().query("set enable_seqscan = off");
    try {
      const { rows } = await client().query<{ "QUERY PLAN": string }>("explain select * from stg_prediction_messages");
      expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/Index (Only )?Scan (using|on) stg_prediction_messages_cache_expires_at[\s\S]*Index Cond: \(expires_at > /);
    } finally {
      await client().query("reset enable_seqscan");
    }
  });
});
