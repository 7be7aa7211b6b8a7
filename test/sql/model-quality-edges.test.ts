// Hand-built cases for model_quality_metrics and model_quality_reliability on the reference
// engine. Expected numbers are worked out by hand from the monitoring contract in each test;
// the brute-force oracle (support/model-quality-oracle.ts) must agree with them too.

import { beforeEach, describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs, type Dataset } from "./support/dataset.ts";
import { aLead, aPrediction, at } from "./support/fixtures.ts";
import { MALFORMED_KINDS } from "./support/malformed.ts";
import { expectSameRows, modelQualityAt, QUALITY_SHAPE, RELIABILITY_SHAPE } from "./support/model-quality.ts";
import { oracleModelQuality } from "./support/model-quality-oracle.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

const WINDOW_30 = new Date(at(30)).toISOString();

describe.skipIf(!pg.available)("model_quality_metrics at its edges (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);
  let data: Dataset;
  beforeEach(async () => {
    await truncateInputs(reference().client);
  });

  async function given(rows: Partial<Dataset>): Promise<void> {
    data = { leads: [], coupons: [], predictions: [], ...rows };
    await insertDataset(reference().client, data);
  }

  /** The served rows at `nowMs`, after checking the oracle and the invariants agree there. */
  async function rowsAt(nowMs: number) {
    const actual = await modelQualityAt(reference().client, nowMs);
    const expected = oracleModelQuality(data, nowMs);
    expectSameRows(actual.metrics, expected.metrics, QUALITY_SHAPE, "oracle");
    expectSameRows(actual.reliability, expected.reliability, RELIABILITY_SHAPE, "oracle");
    await expectInvariantsHold(reference().client, `at ${new Date(nowMs).toISOString()}`);
    return actual;
  }

  const converts = (id: number) => aLead(id, at(0), { atMs: at(10), amountCents: 1_000 });
  const staysAway = (id: number) => aLead(id, at(0));
  const scored = (id: number, score: number) => aPrediction(id, { atMs: at(0.01), bucket: "control", score });

  // Five control leads, all in window 30 s:
  //   A 0.505 converts, B 0.507 does not: both in bin 50, a tie inside a bin (½)
  //   C 1.0 converts: bin 99 (least(100, 99)), a bin with only positives
  //   D 0.0 does not, E 0.0 converts: bin 0, a tie; E's ln(0) needs the clamp
  const fiveLeads = {
    leads: [converts(1), staysAway(2), converts(3), staysAway(4), converts(5)],
    predictions: [scored(1, 0.505), scored(2, 0.507), scored(3, 1), scored(4, 0), scored(5, 0)],
  };

  it("ranks by score bin, with ties inside a bin counted one half, scores 0 and 1 included", async () => {
    await given(fiveLeads);
    const { metrics } = await rowsAt(at(30));
    expect(metrics).toHaveLength(1);
    const [row] = metrics;
    // Pairs (positive, negative): (A,B) tie ½, (A,D) 1, (C,B) 1, (C,D) 1, (E,B) 0, (E,D) tie ½.
    // The exact AUC would rank B above A (0.507 > 0.505): 3.5 / 6; the bins say 4 / 6.
    expect(row).toMatchObject({ window_end: WINDOW_30, experiment_bucket: "control", num_scored: 5, num_positive: 3 });
    expect(row?.roc_auc).toBeCloseTo(4 / 6, 12);
    expect(row?.mean_score).toBeCloseTo((0.505 + 0.507 + 1) / 5, 12);
  });

  it("clamps scores of exactly 0 and 1 in the log loss, and computes Brier, ECE and calibration by hand", async () => {
    await given(fiveLeads);
    const [row] = (await rowsAt(at(30))).metrics;
    // Log loss: A −ln 0.505, B −ln 0.493, C and D −ln(1 − 1e-15) ≈ 1e-15, E −ln(1e-15) = 34.5388.
    const logLoss = (-Math.log(0.505) - Math.log(0.493) - 2 * Math.log(1 - 1e-15) - Math.log(1e-15)) / 5;
    expect(row?.log_loss).toBeCloseTo(logLoss, 10);
    // Brier: 0.495² + 0.507² + 0 + 0 + 1² over 5.
    expect(row?.brier_score).toBeCloseTo((0.495 ** 2 + 0.507 ** 2 + 1) / 5, 12);
    // ECE: decile 0 |0 − 1| + decile 5 |1.012 − 1| + decile 9 |1 − 1| = 1.012, over 5.
    expect(row?.expected_calibration_error).toBeCloseTo(1.012 / 5, 12);
    // 3 conversions where Σ score = 2.012 expected.
    expect(row?.calibration_ratio).toBeCloseTo(3 / 2.012, 12);
  });

  it("lists predicted against observed per occupied score decile", async () => {
    await given(fiveLeads);
    const { reliability } = await rowsAt(at(30));
    expect(reliability.map(({ score_decile, num_scored, num_positive }) => ({ score_decile, num_scored, num_positive }))).toEqual([
      { score_decile: 0, num_scored: 2, num_positive: 1 },
      { score_decile: 5, num_scored: 2, num_positive: 1 },
      { score_decile: 9, num_scored: 1, num_positive: 1 },
    ]);
    expect(reliability.map((r) => [r.mean_score, r.observed_rate])).toEqual([
      [0, 0.5],
      [expect.closeTo(0.506, 12), 0.5],
      [1, 1],
    ]);
  });

  it("gives a NULL AUC, not an error, to a window with one class only", async () => {
    await given({
      leads: [staysAway(1), staysAway(2), converts(3)],
      predictions: [scored(1, 0.1), scored(2, 0.3), aPrediction(3, { atMs: at(0.01), bucket: "experiment", score: 0 })],
    });
    const { metrics } = await rowsAt(at(30));
    expect(metrics).toEqual([
      expect.objectContaining({ experiment_bucket: "control", num_positive: 0, roc_auc: null, calibration_ratio: 0 }),
      // One positive scored 0: no negatives (AUC NULL) and Σ score = 0 (calibration NULL).
      expect.objectContaining({ experiment_bucket: "experiment", num_positive: 1, roc_auc: null, calibration_ratio: null }),
    ]);
  });

  it("computes the smallest scores the input accepts, and refuses smaller ones before any arithmetic", async () => {
    // The input accepts at most a one-digit exponent (1e-9); 1e-99, 1e-300 and 5e-324 are
    // rejected messages, so no score can reach a square that underflows (Postgres raises an
    // error there, where IEEE arithmetic returns 0).
    const tooSmall = [1e-99, 1e-300, 5e-324].map((score, k) => ({
      text: JSON.stringify(scored(3 + k, 0.5)).replace('"score":0.5', `"score":${score}`),
      receivedAtMs: at(0.01),
    }));
    await given({ leads: [converts(1), staysAway(2), converts(3), staysAway(4), converts(5)], predictions: [scored(1, 1e-9), scored(2, 1e-9)], rawMessages: tooSmall });
    const { metrics } = await modelQualityAt(reference().client, at(30)); // no error
    await expectInvariantsHold(reference().client, "at 30 s");
    // Leads 3 to 5 are unscored (`unknown`, outside the view); 1 and 2 tie in bin 0 (AUC ½);
    // Brier ((1e-9 − 1)² + 1e-18) / 2 = 1/2 − 1e-9 + 1e-18; one conversion against Σ score = 2e-9.
    expect(metrics).toEqual([expect.objectContaining({ num_scored: 2, num_positive: 1, roc_auc: 0.5 })]);
    expect(metrics[0]?.mean_score).toBeCloseTo(1e-9, 20);
    expect(metrics[0]?.brier_score).toBeCloseTo(0.5 - 1e-9, 15);
    expect((metrics[0]?.calibration_ratio ?? 0) / 5e8).toBeCloseTo(1, 12);
  });

  it("counts duplicate and re-scored predictions once, and malformed messages not at all", async () => {
    await given(fiveLeads);
    const once = await rowsAt(at(30));
    await truncateInputs(reference().client);
    const lateRescore = aPrediction(2, { atMs: at(3), bucket: "control", score: 0.99 }); // the first score stands
    const earlierButBroken = aPrediction(4, { atMs: at(0), bucket: "control", score: 0.9 }); // would win if it were read
    const rawMessages = MALFORMED_KINDS.map((kind) => ({ text: kind.text(earlierButBroken), receivedAtMs: at(0) }));
    await given({ ...fiveLeads, predictions: [...fiveLeads.predictions.flatMap((p) => [p, p, p]), lateRescore], rawMessages });
    expect(await rowsAt(at(30))).toEqual(once);
  });

  it("leaves out leads without a prediction and leads whose label has not matured", async () => {
    await given({ leads: [staysAway(1), aLead(2, at(0.5))], predictions: [aPrediction(2, { atMs: at(0.6), score: 0.4 })] });
    expect((await rowsAt(at(30))).metrics).toEqual([]); // lead 1: unknown; lead 2 matures at 30.5 s
    expect((await rowsAt(at(31))).metrics).toEqual([expect.objectContaining({ window_end: new Date(at(31)).toISOString(), num_scored: 1 })]);
  });
});
