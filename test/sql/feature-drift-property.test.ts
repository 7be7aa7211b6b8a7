// Property: for random rows, a random training-time reference and a random evaluation time,
// feature_drift on the reference engine equals an independent brute force of the contract
// (support/feature-drift-oracle.ts). The generators (support/signals-arbitrary.ts) include
// values absent from the reference, reference values absent now, a model version without a
// reference, duplicated and re-scored predictions, and predictions for missing leads.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs } from "./support/dataset.ts";
import { FEATURE_DRIFT_SHAPE, featureDriftAt, insertReference, truncateReference } from "./support/feature-drift.ts";
import { oracleFeatureDrift } from "./support/feature-drift-oracle.ts";
import { expectSameRows } from "./support/model-quality.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";
import { signalsCaseArb } from "./support/signals-arbitrary.ts";

const pg = await usePostgres();

describe.skipIf(!pg.available)("feature_drift against a brute-force oracle (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);

  it("equals the oracle for random rows, references and evaluation times", async () => {
    const seen = { rows: 0, psi: 0, nullPsi: 0, other: 0 };
    await fc.assert(
      fc.asyncProperty(signalsCaseArb, async ({ data, reference: referenceRows, nowMs }) => {
        const client = reference().client;
        await truncateInputs(client);
        await truncateReference(client);
        await insertDataset(client, data);
        await insertReference(client, referenceRows);
        const actual = await featureDriftAt(client, nowMs);
        const expected = oracleFeatureDrift(data, referenceRows, nowMs);
        const at = `at ${new Date(nowMs).toISOString()}`;
        expectSameRows(actual, expected, FEATURE_DRIFT_SHAPE, at);
        await expectInvariantsHold(client, at);
        if (expected.length > 0) seen.rows += 1;
        if (expected.some((r) => r.psi !== null && r.psi > 0)) seen.psi += 1;
        if (expected.some((r) => r.psi === null)) seen.nullPsi += 1;
        if (expected.some((r) => r.num_other_leads > 0 && r.psi !== null)) seen.other += 1;
      }),
      { seed: 20260103, numRuns: 60 },
    );
    expect(seen.rows).toBeGreaterThan(30);
    expect(seen.psi).toBeGreaterThan(24);
    expect(seen.nullPsi).toBeGreaterThan(6);
    expect(seen.other).toBeGreaterThan(12);
  }, 600_000); // about a second a case; minutes on a loaded machine
});
