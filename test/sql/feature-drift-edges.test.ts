// Hand-built cases for feature_drift on the reference engine. Expected numbers are worked out
// by hand from the monitoring contract (PSI with α = 0.5 over the reference's values plus
// `(other)`); the brute-force oracle (support/feature-drift-oracle.ts) must agree too.

import { beforeEach, describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs, type Dataset } from "./support/dataset.ts";
import { FEATURE_DRIFT_SHAPE, featureDriftAt, insertReference, truncateReference, type ReferenceRow } from "./support/feature-drift.ts";
import { oracleFeatureDrift } from "./support/feature-drift-oracle.ts";
import { aLead, aPrediction, at } from "./support/fixtures.ts";
import { MALFORMED_KINDS } from "./support/malformed.ts";
import { expectSameRows } from "./support/model-quality.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

/** Σ_v (q − p)·ln(q / p) over (reference count, current count) pairs, α = 0.5 over K = pairs. */
function psiByHand(pairs: Array<[number, number]>): number {
  const k = pairs.length;
  const refTotal = pairs.reduce((a, [r]) => a + r, 0);
  const curTotal = pairs.reduce((a, [, c]) => a + c, 0);
  return pairs.reduce((psi, [r, c]) => {
    const p = (r + 0.5) / (refTotal + 0.5 * k);
    const q = (c + 0.5) / (curTotal + 0.5 * k);
    return psi + (q - p) * Math.log(q / p);
  }, 0);
}

const SOURCES: ReferenceRow[] = [
  { modelVersion: "m1", feature: "utm_source", value: "google", count: 60 },
  { modelVersion: "m1", feature: "utm_source", value: "facebook", count: 40 },
];
const DECILES: ReferenceRow[] = Array.from({ length: 10 }, (_, d) => ({ modelVersion: "m1", feature: "score_decile", value: String(d), count: 10 }));

describe.skipIf(!pg.available)("feature_drift at its edges (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);
  let data: Dataset;
  let referenceRows: ReferenceRow[];
  beforeEach(async () => {
    await truncateInputs(reference().client);
    await truncateReference(reference().client);
  });

  async function given(rows: Partial<Dataset>, refRows: ReferenceRow[] = [...SOURCES, ...DECILES]): Promise<void> {
    data = { leads: [], coupons: [], predictions: [], ...rows };
    referenceRows = refRows;
    await insertDataset(reference().client, data);
    await insertReference(reference().client, refRows);
  }

  async function rowsAt(nowMs: number) {
    const actual = await featureDriftAt(reference().client, nowMs);
    expectSameRows(actual, oracleFeatureDrift(data, referenceRows, nowMs), FEATURE_DRIFT_SHAPE, "oracle");
    await expectInvariantsHold(reference().client, `at ${new Date(nowMs).toISOString()}`);
    return actual;
  }

  const lead = (id: number, utmSource: string) => ({ ...aLead(id, at(0)), utmSource });
  const predicted = (id: number, score: number, modelVersion = "m1") => aPrediction(id, { atMs: at(0.2), score, modelVersion });
  // Three leads predicted at 0.2 s: windows 1 s .. 30 s hold them.
  const threeLeads = {
    leads: [lead(1, "tiktok"), lead(2, "tiktok"), lead(3, "google")],
    predictions: [predicted(1, 0.05), predicted(2, 1), predicted(3, 0.95)],
  };

  it("pools values the reference never saw into (other), and still counts a reference value absent now", async () => {
    await given(threeLeads);
    const rows = await rowsAt(at(1));
    // utm_source, K = 3: google (ref 60, now 1), facebook (ref 40, now 0), (other) (ref 0, now 2: tiktok).
    expect(rows.find((r) => r.feature === "utm_source")).toMatchObject({
      window_end: new Date(at(1)).toISOString(),
      model_version: "m1",
      num_leads: 3,
      num_other_leads: 2,
      psi: expect.closeTo(psiByHand([[60, 1], [40, 0], [0, 2]]), 12),
    });
    // score_decile, K = 11: decile 0 once, decile 9 twice (score 1 → least(10, 9) = 9), (other) never.
    const deciles: Array<[number, number]> = [[10, 1], ...Array.from({ length: 8 }, (): [number, number] => [10, 0]), [10, 2], [0, 0]];
    expect(rows.find((r) => r.feature === "score_decile")).toMatchObject({ num_leads: 3, num_other_leads: 0, psi: expect.closeTo(psiByHand(deciles), 12) });
  });

  it("gives PSI 0 when the window looks exactly like the reference, shares and all", async () => {
    const sameShares = [lead(1, "google"), lead(2, "google"), lead(3, "google"), lead(4, "facebook"), lead(5, "facebook")];
    await given({ leads: sameShares, predictions: sameShares.map((l) => predicted(l.id, 0.5)) }, [
      { modelVersion: "m1", feature: "utm_source", value: "google", count: 3 },
      { modelVersion: "m1", feature: "utm_source", value: "facebook", count: 2 },
      { modelVersion: "m1", feature: "score_decile", value: "5", count: 5 },
    ]);
    const rows = (await rowsAt(at(5))).filter((r) => r.window_end === new Date(at(5)).toISOString());
    expect(rows.map((r) => [r.feature, r.num_leads, r.psi])).toEqual([
      ["score_decile", 5, expect.closeTo(0, 12)],
      ["utm_source", 5, expect.closeTo(0, 12)],
    ]);
  });

  it("gives a NULL PSI, not an error, to a model version without a reference", async () => {
    await given({ leads: [lead(1, "google")], predictions: [predicted(1, 0.3, "m2")] });
    expect(await rowsAt(at(1))).toEqual([
      expect.objectContaining({ model_version: "m2", feature: "score_decile", num_leads: 1, psi: null }),
      expect.objectContaining({ model_version: "m2", feature: "utm_source", num_leads: 1, psi: null }),
    ]);
  });

  it("counts duplicate and re-scored predictions once, and malformed messages not at all", async () => {
    await given(threeLeads);
    const once = await rowsAt(at(10));
    await truncateInputs(reference().client);
    await truncateReference(reference().client);
    const lateRescore = aPrediction(1, { atMs: at(2), score: 0.55, modelVersion: "m1" }); // the first one stands
    const earlierButBroken = aPrediction(3, { atMs: at(0.1), score: 0.45, modelVersion: "m1" }); // would win if it were read
    const rawMessages = MALFORMED_KINDS.map((kind) => ({ text: kind.text(earlierButBroken), receivedAtMs: at(0.1) }));
    await given({ ...threeLeads, predictions: [...threeLeads.predictions.flatMap((p) => [p, p, p]), lateRescore], rawMessages });
    expect(await rowsAt(at(10))).toEqual(once);
  });

  it("windows by prediction time, without waiting for labels, for the 10-minute retention", async () => {
    await given({ leads: [lead(1, "google")], predictions: [predicted(1, 0.3)] });
    const windowEnds = async (nowMs: number) => [...new Set((await rowsAt(nowMs)).map((r) => r.window_end))];
    expect(await windowEnds(at(0.999))).toEqual([]);
    expect(await windowEnds(at(1))).toEqual([new Date(at(1)).toISOString()]);
    expect(await windowEnds(at(40))).toHaveLength(30); // windows 1 s .. 30 s
    expect(await windowEnds(at(30 + 600 - 0.001))).toEqual([new Date(at(30)).toISOString()]);
    expect(await windowEnds(at(30 + 600))).toEqual([]);
  });

  it("creates no row for a prediction whose lead does not exist", async () => {
    await given({ predictions: [predicted(99, 0.3)] });
    expect(await rowsAt(at(1))).toEqual([]);
  });
});
