// Property: for random rows and a random evaluation time, model_quality_metrics and
// model_quality_reliability on the reference engine equal an independent brute force of the
// contract (support/model-quality-oracle.ts: every (positive, negative) pair, lead by lead).
// The generators (support/signals-arbitrary.ts) aim at ties inside a score bin, scores of
// exactly 0 and 1, bin and decile edges, one-class windows, duplicates and the horizon.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs } from "./support/dataset.ts";
import { expectSameRows, modelQualityAt, QUALITY_SHAPE, RELIABILITY_SHAPE } from "./support/model-quality.ts";
import { oracleModelQuality } from "./support/model-quality-oracle.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";
import { signalsCaseArb } from "./support/signals-arbitrary.ts";

const pg = await usePostgres();

describe.skipIf(!pg.available)("model_quality_metrics against a brute-force oracle (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);

  it("equals the oracle for random rows at random evaluation times", async () => {
    const seen = { rows: 0, nullAuc: 0, auc: 0 };
    await fc.assert(
      fc.asyncProperty(signalsCaseArb, async ({ data, nowMs }) => {
        await truncateInputs(reference().client);
        await insertDataset(reference().client, data);
        const actual = await modelQualityAt(reference().client, nowMs);
        const expected = oracleModelQuality(data, nowMs);
        const at = `at ${new Date(nowMs).toISOString()}`;
        expectSameRows(actual.metrics, expected.metrics, QUALITY_SHAPE, at);
        expectSameRows(actual.reliability, expected.reliability, RELIABILITY_SHAPE, at);
        await expectInvariantsHold(reference().client, at);
        if (expected.metrics.length > 0) seen.rows += 1;
        if (expected.metrics.some((r) => r.roc_auc === null)) seen.nullAuc += 1;
        if (expected.metrics.some((r) => r.roc_auc !== null && r.roc_auc !== 0 && r.roc_auc !== 1)) seen.auc += 1;
      }),
      { seed: 20260102, numRuns: 60 },
    );
    // The generators must exercise the views, not just agree on empty answers.
    expect(seen.rows).toBeGreaterThan(30);
    expect(seen.nullAuc).toBeGreaterThan(3);
    expect(seen.auc).toBeGreaterThan(12);
  }, 600_000); // about a second a case; minutes on a loaded machine
});
