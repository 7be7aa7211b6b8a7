// Property: for random rows, a random designed split and a random evaluation time,
// ab_test_metrics on the reference engine equals an independent brute force of the contract
// (support/ab-test-oracle.ts).
//
// The generators aim at the edges: leads spread over 7 minutes so 5-minute windows overlap
// and buckets are often tiny (0, 1 or 2 leads: the NULL rules), coarse amounts so variances
// are often 0, conversions at and around the horizon, duplicate and re-scored predictions,
// 0-2 coupons, a missing or lopsided design, and evaluation times on 10-second window ends
// and retention boundaries.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { abTestAt, expectSameAbTest } from "./support/ab-test.ts";
import { setDesign, type Design } from "./support/experiment-design.ts";
import { AB_HOP_MS, AB_WINDOW_MS, oracleAbTest } from "./support/ab-test-oracle.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs, type CouponRow, type Dataset, type LeadRow, type PredictionMessage } from "./support/dataset.ts";
import { aPrediction, T0 } from "./support/fixtures.ts";
import { H_MS, R_MS } from "./support/oracle.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

const SPAN_MS = 420_000;

const offsetMs = (maxMs: number) =>
  fc.oneof(fc.integer({ min: 0, max: Math.floor(maxMs / 10_000) }).map((s) => s * 10_000), fc.integer({ min: 0, max: maxMs }));

const leadSpec = fc.record({
  createdMs: offsetMs(SPAN_MS),
  conversion: fc.option(
    fc.record({
      delayMs: fc.oneof(fc.constantFrom(H_MS - 1, H_MS, H_MS + 1), fc.integer({ min: 0, max: H_MS + 15_000 })),
      amountCents: fc.oneof(fc.constantFrom(5_000, 10_000), fc.integer({ min: 1, max: 30_000 })),
    }),
  ),
  predictions: fc.array(
    fc.record({
      bucket: fc.constantFrom("control", "experiment"),
      score: fc.integer({ min: 0, max: 10 }).map((n) => n / 10),
      delayMs: fc.integer({ min: -1_000, max: 3_000 }),
      copies: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 2 },
  ).chain((predictions) => fc.oneof({ weight: 6, arbitrary: fc.constant(predictions) }, { weight: 1, arbitrary: fc.constant([]) })),
  coupons: fc.array(fc.record({ amountCents: fc.constantFrom(500, 1_000, 2_500), delayMs: fc.integer({ min: -500, max: 2_000 }) }), { maxLength: 2 }),
});

const designArb: fc.Arbitrary<Design> = fc.constantFrom<Design>(
  { control: 0.2, experiment: 0.8 },
  { control: 0.5, experiment: 0.5 },
  { experiment: 0.8 },
  {},
);

const datasetArb = fc.array(leadSpec, { maxLength: 30, size: "max" }).map(toDataset);

const caseArb = fc.record({ data: datasetArb, design: designArb }).chain(({ data, design }) => {
  const anyTime = offsetMs(SPAN_MS + H_MS + AB_WINDOW_MS + R_MS + 30_000).map((ms) => T0 + ms);
  const firstEnds = data.leads.map((l) => Math.ceil((l.createdAtMs + H_MS) / AB_HOP_MS) * AB_HOP_MS);
  const nowArb =
    firstEnds.length === 0
      ? anyTime
      : fc.oneof(
          anyTime,
          fc
            .record({ end: fc.constantFrom(...firstEnds), k: fc.integer({ min: 0, max: 29 }), edge: fc.constantFrom(0, -1, R_MS, R_MS - 1) })
            .map(({ end, k, edge }) => end + k * AB_HOP_MS + edge),
        );
  return fc.record({ data: fc.constant(data), design: fc.constant(design), nowMs: nowArb });
});

type LeadSpec = typeof leadSpec extends fc.Arbitrary<infer T> ? T : never;

function toDataset(specs: LeadSpec[]): Dataset {
  const leads: LeadRow[] = [];
  const coupons: CouponRow[] = [];
  const predictions: PredictionMessage[] = [];
  specs.forEach((spec, index) => {
    const id = index + 1;
    const createdAtMs = T0 + spec.createdMs;
    leads.push(
      spec.conversion
        ? { id, createdAtMs, convertedAtMs: createdAtMs + spec.conversion.delayMs, conversionAmountCents: spec.conversion.amountCents }
        : { id, createdAtMs },
    );
    spec.coupons.forEach((c, k) => coupons.push({ id: id * 10 + k, leadId: id, amountCents: c.amountCents, createdAtMs: createdAtMs + c.delayMs }));
    for (const p of spec.predictions) {
      const message = aPrediction(id, { atMs: createdAtMs + p.delayMs, bucket: p.bucket, score: p.score });
      for (let copy = 0; copy < p.copies; copy++) predictions.push(message);
    }
  });
  return { leads, coupons, predictions };
}

describe.skipIf(!pg.available)("ab_test_metrics against a brute-force oracle (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);

  it("equals the oracle for random rows, designs and evaluation times", async () => {
    let comparedUplifts = 0;
    let nullUplifts = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ data, design, nowMs }) => {
        await truncateInputs(reference().client);
        await setDesign(reference().client, design);
        await insertDataset(reference().client, data);
        const expected = oracleAbTest(data, design, nowMs);
        expectSameAbTest(await abTestAt(reference().client, nowMs), expected, `at ${new Date(nowMs).toISOString()}`);
        await expectInvariantsHold(reference().client);
        comparedUplifts += expected.filter((r) => r.uplift_standard_error !== null).length > 0 ? 1 : 0;
        nullUplifts += expected.filter((r) => r.uplift_standard_error === null).length > 0 ? 1 : 0;
      }),
      { seed: 20260102, numRuns: 100 },
    );
    // The generators must reach both sides of the NULL rule, not just agree on empty answers.
    expect(comparedUplifts).toBeGreaterThan(30);
    expect(nullUplifts).toBeGreaterThan(30);
  });
});
