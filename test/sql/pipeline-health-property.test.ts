// Property: for random rows and a random evaluation time, pipeline_health on the reference
// engine equals an independent brute force of its definition (support/pipeline-health-oracle.ts).
//
// The generators aim at the edges: events on and just off 10-second boundaries, predictions
// late by up to a minute (their copies land in other windows), 1-3 copies, predictions for
// leads that do not exist, malformed messages, messages the broker received late (so a copy
// can arrive before or after its original; up to 17 minutes late, past the 16 minutes a
// prediction is kept by predicted_at), copies around the 5-minute duplicate look-back, leads
// never scored, conversions on time, just
// after the horizon
// and around the 5-minute limit, and evaluation times at a window's grace and retention ends.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs, type Dataset, type LeadRow, type PredictionMessage, type RawMessage } from "./support/dataset.ts";
import { aPrediction, T0 } from "./support/fixtures.ts";
import { H_MS, R_MS } from "./support/oracle.ts";
import { expectSameHealth, pipelineHealthAt } from "./support/pipeline-health.ts";
import { DUPLICATE_LOOK_BACK_MS, HEALTH_GRACE_MS, HEALTH_HOP_MS, LATE_CONVERSION_LIMIT_MS, oraclePipelineHealth } from "./support/pipeline-health-oracle.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

const SPAN_MS = 180_000;

const offsetMs = (maxMs: number) =>
  fc.oneof(fc.integer({ min: 0, max: Math.floor(maxMs / 10_000) }).map((s) => s * 10_000), fc.integer({ min: 0, max: maxMs }));

const leadSpec = fc.record({
  createdMs: offsetMs(SPAN_MS),
  conversionDelayMs: fc.option(
    fc.oneof(
      fc.constantFrom(H_MS, H_MS + 1, LATE_CONVERSION_LIMIT_MS, LATE_CONVERSION_LIMIT_MS + 1),
      fc.integer({ min: 0, max: LATE_CONVERSION_LIMIT_MS + 30_000 }),
    ),
  ),
  predictions: fc.array(
    fc.record({
      delayMs: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: -1_000, max: 70_000 })),
      copies: fc.integer({ min: 1, max: 3 }),
      // 0: received at predicted_at; else the broker's timestamp is this much later.
      deliveryDelayMs: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 30_000 }),
        // Copies around the 5-minute duplicate look-back, and beyond it.
        fc.constantFrom(DUPLICATE_LOOK_BACK_MS, DUPLICATE_LOOK_BACK_MS + 1, 6 * 60_000),
      ),
      // The broker receives the first copy this much after predicted_at (up to 17 minutes:
      // past the 16 minutes stg_predictions keeps a prediction).
      lateMs: fc.oneof(fc.constant(0), fc.constantFrom(5 * 60_000, 6 * 60_000, 17 * 60_000), fc.integer({ min: 1, max: 17 * 60_000 })),
    }),
    { maxLength: 2 },
  ),
});

const orphanSpec = fc.record({ leadId: fc.integer({ min: 1_000, max: 1_003 }), atMs: offsetMs(SPAN_MS) });

const MALFORMED = [null, "", "{", "[1, 2]", '{"lead_id": "7"}', '{"lead_id": 7, "score": 2}', "not json at all"];
const malformedSpec = fc.record({ text: fc.constantFrom(...MALFORMED), atMs: offsetMs(SPAN_MS) });

const datasetArb = fc
  .record({
    leads: fc.array(leadSpec, { maxLength: 25, size: "max" }),
    orphans: fc.array(orphanSpec, { maxLength: 3 }),
    malformed: fc.array(malformedSpec, { maxLength: 4 }),
  })
  .map(({ leads, orphans, malformed }) => toDataset(leads, orphans, malformed));

const caseArb = datasetArb.chain((data) => {
  const anyTime = offsetMs(SPAN_MS + LATE_CONVERSION_LIMIT_MS + R_MS + 60_000).map((ms) => T0 + ms);
  const ends = [...data.leads.map((l) => l.createdAtMs), ...(data.rawMessages ?? []).map((m) => m.receivedAtMs)].map(
    (atMs) => Math.ceil(atMs / HEALTH_HOP_MS) * HEALTH_HOP_MS,
  );
  const nowArb =
    ends.length === 0
      ? anyTime
      : fc.oneof(
          anyTime,
          fc
            .record({
              end: fc.constantFrom(...ends),
              k: fc.integer({ min: 0, max: 5 }),
              edge: fc.constantFrom(HEALTH_GRACE_MS, HEALTH_GRACE_MS - 1, R_MS, R_MS - 1),
            })
            .map(({ end, k, edge }) => end + k * HEALTH_HOP_MS + edge),
        );
  return fc.record({ data: fc.constant(data), nowMs: nowArb });
});

type LeadSpec = typeof leadSpec extends fc.Arbitrary<infer T> ? T : never;

function toDataset(
  specs: LeadSpec[],
  orphans: Array<{ leadId: number; atMs: number }>,
  malformed: Array<{ text: string | null; atMs: number }>,
): Dataset {
  const leads: LeadRow[] = [];
  const predictions: PredictionMessage[] = [];
  const rawMessages: RawMessage[] = malformed.map((m) => ({ text: m.text, receivedAtMs: T0 + m.atMs }));
  specs.forEach((spec, index) => {
    const id = index + 1;
    const createdAtMs = T0 + spec.createdMs;
    leads.push(
      spec.conversionDelayMs === null
        ? { id, createdAtMs }
        : { id, createdAtMs, convertedAtMs: createdAtMs + spec.conversionDelayMs, conversionAmountCents: 1_000 },
    );
    spec.predictions.forEach((p, k) => {
      const message = aPrediction(id, { atMs: createdAtMs + p.delayMs, score: k === 0 ? 0.8 : 0.2 });
      for (let copy = 0; copy < p.copies; copy++) {
        if (p.deliveryDelayMs === 0 && p.lateMs === 0) predictions.push(message);
        else rawMessages.push({ text: JSON.stringify(message), receivedAtMs: createdAtMs + p.delayMs + p.lateMs + copy * p.deliveryDelayMs });
      }
    });
  });
  for (const orphan of orphans) predictions.push(aPrediction(orphan.leadId, { atMs: T0 + orphan.atMs }));
  return { leads, coupons: [], predictions, rawMessages };
}

describe.skipIf(!pg.available)("pipeline_health against a brute-force oracle (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);

  it("equals the oracle for random rows at random evaluation times", async () => {
    let withDuplicates = 0;
    let withLateConversions = 0;
    let withUncovered = 0;
    let withRejected = 0;
    let withDelay = 0;
    let withLongDelay = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ data, nowMs }) => {
        await truncateInputs(reference().client);
        await insertDataset(reference().client, data);
        const expected = oraclePipelineHealth(data, nowMs);
        expectSameHealth(await pipelineHealthAt(reference().client, nowMs), expected, `at ${new Date(nowMs).toISOString()}`);
        await expectInvariantsHold(reference().client);
        if (expected.some((r) => r.duplicate_messages > 0)) withDuplicates += 1;
        if (expected.some((r) => r.conversions_after_horizon > 0)) withLateConversions += 1;
        if (expected.some((r) => r.scored_leads < r.leads)) withUncovered += 1;
        if (expected.some((r) => r.rejected_messages > 0)) withRejected += 1;
        if (expected.some((r) => (r.max_delivery_delay_ms ?? 0) > 0)) withDelay += 1;
        if (expected.some((r) => (r.max_delivery_delay_ms ?? 0) > DUPLICATE_LOOK_BACK_MS)) withLongDelay += 1;
      }),
      { seed: 20260103, numRuns: 80 },
    );
    // The generators must reach the interesting cases, not just agree on empty answers.
    expect(withDuplicates).toBeGreaterThan(25);
    expect(withLateConversions).toBeGreaterThan(25);
    expect(withUncovered).toBeGreaterThan(25);
    expect(withRejected).toBeGreaterThan(25);
    expect(withDelay).toBeGreaterThan(25);
    expect(withLongDelay).toBeGreaterThan(15);
  });
});
