// Property: for random rows and a random evaluation time, classifier_metrics on the reference
// engine equals an independent brute force of the contract (support/oracle.ts).
//
// The generators aim at the edges: whole-second and fractional timestamps, conversions at,
// just before and just after the horizon, duplicate and re-scored predictions, predictions
// for missing leads, leads with 0-2 coupons, malformed messages of every kind (which must
// change no metric, and be counted as rejected), and evaluation times on window boundaries
// and retention boundaries.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import {
  insertDataset, truncateInputs, type CouponRow, type Dataset, type LeadRow, type PredictionMessage, type RawMessage,
} from "./support/dataset.ts";
import { aPrediction, T0 } from "./support/fixtures.ts";
import { MALFORMED_KINDS } from "./support/malformed.ts";
import { expectSameMetrics, metricsAt } from "./support/metrics.ts";
import { H_MS, R_MS, W_MS, oracleMetrics } from "./support/oracle.ts";
import { oracleMessageWindows } from "./support/oracle-messages.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

const SPAN_MS = 120_000; // leads arrive over two minutes, so windows overlap

/** A time offset that is often a whole second and sometimes a stray millisecond. */
const offsetMs = (maxMs: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: Math.floor(maxMs / 1000) }).map((s) => s * 1000),
    fc.integer({ min: 0, max: maxMs }),
  );

const conversionDelayMs = fc.oneof(
  fc.constantFrom(H_MS - 1, H_MS, H_MS + 1),
  fc.integer({ min: 0, max: H_MS + 15_000 }),
);

const predictionSeed = fc.record({
  bucket: fc.constantFrom("control", "experiment"),
  score: fc.integer({ min: 0, max: 20 }).map((n) => n / 20), // coarse, so ties happen
  label: fc.boolean(),
  modelVersion: fc.constantFrom("m1", "m2"),
  delayMs: fc.integer({ min: -1_000, max: 3_000 }),
});

const leadSpec = fc.record({
  createdMs: offsetMs(SPAN_MS),
  conversion: fc.option(fc.record({ delayMs: conversionDelayMs, amountCents: fc.integer({ min: 1, max: 30_000 }) })),
  predictions: fc.array(fc.record({ seed: predictionSeed, copies: fc.integer({ min: 1, max: 3 }) }), { maxLength: 2 }),
  coupons: fc.array(fc.record({ amountCents: fc.integer({ min: 1, max: 5_000 }), delayMs: fc.integer({ min: -500, max: 2_000 }) }), {
    maxLength: 2,
  }),
  malformed: fc.array(fc.record({ kind: fc.integer({ min: 0, max: MALFORMED_KINDS.length - 1 }), delayMs: fc.integer({ min: -1_000, max: 3_000 }) }), {
    maxLength: 2,
  }),
});

const datasetArb = fc
  .record({
    leads: fc.array(leadSpec, { maxLength: 25 }),
    orphans: fc.array(fc.record({ leadId: fc.integer({ min: 1_000, max: 1_010 }), seed: predictionSeed, createdMs: offsetMs(SPAN_MS) }), {
      maxLength: 3,
    }),
  })
  .map(({ leads, orphans }) => toDataset(leads, orphans));

/** Evaluation times: anywhere in the run, or right at / just before a window's start or end. */
const caseArb = datasetArb.chain((data) => {
  const anyTime = offsetMs(SPAN_MS + H_MS + W_MS + R_MS + 30_000).map((ms) => T0 + ms);
  const windowEnds = data.leads.map((l) => Math.ceil((l.createdAtMs + H_MS) / 1000) * 1000);
  const nowArb =
    windowEnds.length === 0
      ? anyTime
      : fc.oneof(
          anyTime,
          fc
            .record({
              end: fc.constantFrom(...windowEnds),
              k: fc.integer({ min: 0, max: 29 }),
              edge: fc.constantFrom(0, -1, R_MS, R_MS - 1),
            })
            .map(({ end, k, edge }) => end + k * 1000 + edge),
        );
  return fc.record({ data: fc.constant(data), nowMs: nowArb });
});

type LeadSpec = typeof leadSpec extends fc.Arbitrary<infer T> ? T : never;
type PredictionSeed = typeof predictionSeed extends fc.Arbitrary<infer T> ? T : never;

function toDataset(specs: LeadSpec[], orphans: Array<{ leadId: number; seed: PredictionSeed; createdMs: number }>): Dataset {
  const leads: LeadRow[] = [];
  const coupons: CouponRow[] = [];
  const predictions: PredictionMessage[] = [];
  const rawMessages: RawMessage[] = [];
  specs.forEach((spec, index) => {
    const id = index + 1;
    const createdAtMs = T0 + spec.createdMs;
    leads.push(
      spec.conversion
        ? { id, createdAtMs, convertedAtMs: createdAtMs + spec.conversion.delayMs, conversionAmountCents: spec.conversion.amountCents }
        : { id, createdAtMs },
    );
    spec.coupons.forEach((c, k) => coupons.push({ id: id * 10 + k, leadId: id, amountCents: c.amountCents, createdAtMs: createdAtMs + c.delayMs }));
    for (const { seed, copies } of spec.predictions) {
      const message = predictionOf(id, createdAtMs, seed);
      for (let copy = 0; copy < copies; copy++) predictions.push(message);
    }
    for (const { kind, delayMs } of spec.malformed) {
      const receivedAtMs = createdAtMs + delayMs;
      rawMessages.push({ text: (MALFORMED_KINDS[kind] as (typeof MALFORMED_KINDS)[number]).text(aPrediction(id, { atMs: receivedAtMs })), receivedAtMs });
    }
  });
  for (const orphan of orphans) predictions.push(predictionOf(orphan.leadId, T0 + orphan.createdMs, orphan.seed));
  return { leads, coupons, predictions, rawMessages };
}

function predictionOf(leadId: number, createdAtMs: number, seed: PredictionSeed): PredictionMessage {
  return aPrediction(leadId, {
    atMs: createdAtMs + seed.delayMs,
    bucket: seed.bucket,
    score: seed.score,
    label: seed.label,
    modelVersion: seed.modelVersion,
  });
}

describe.skipIf(!pg.available)("classifier_metrics against a brute-force oracle (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);

  it("equals the oracle for random rows at random evaluation times", async () => {
    let nonEmptyCases = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ data, nowMs }) => {
        await truncateInputs(reference().client);
        await insertDataset(reference().client, data);
        const actual = await metricsAt(reference().client, nowMs);
        const expected = oracleMetrics(data, nowMs);
        expectSameMetrics(actual, expected, `at ${new Date(nowMs).toISOString()}`);
        await expectInvariantsHold(reference().client);
        const counted = await reference().client.query(
          "select window_end, num_messages, num_valid, num_rejected from prediction_message_quality order by window_end",
        );
        expect(
          counted.rows.map((r) => ({
            window_end: new Date(r.window_end).toISOString(),
            num_messages: Number(r.num_messages),
            num_valid: Number(r.num_valid),
            num_rejected: Number(r.num_rejected),
          })),
          "rejected messages per window",
        ).toEqual(oracleMessageWindows(data, nowMs));
        if (expected.length > 0) nonEmptyCases += 1;
      }),
      { seed: 20260101, numRuns: 150 },
    );
    // The generators must exercise the views, not just agree on empty answers.
    expect(nonEmptyCases).toBeGreaterThan(75);
  });
});
