// Hand-built cases, one per edge of the metric contract, on the reference engine (plain
// Postgres running the same views as Materialize). Expected numbers are worked out by hand
// in each test from the contract, never read back from the SQL.

import { beforeEach, describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs, type Dataset } from "./support/dataset.ts";
import { aCoupon, aLead, aPrediction, at } from "./support/fixtures.ts";
import { metricsAt, setNow, type MetricsRow } from "./support/metrics.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

describe.skipIf(!pg.available)("classifier_metrics at its edges (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);
  beforeEach(async () => {
    await truncateInputs(reference().client);
  });

  async function given(data: Partial<Dataset>): Promise<void> {
    await insertDataset(reference().client, { leads: [], coupons: [], predictions: [], ...data });
  }

  /** The rows at `nowMs`, after checking the invariants beside the views hold there too. */
  async function rowsAt(nowMs: number): Promise<MetricsRow[]> {
    const rows = await metricsAt(reference().client, nowMs);
    await expectInvariantsHold(reference().client, `at ${new Date(nowMs).toISOString()}`);
    return rows;
  }

  // Three leads created at T0, so they mature at T0 + 30 s and first show in window 30 s.
  const threeLeads = {
    leads: [
      aLead(1, at(0), { atMs: at(10), amountCents: 10_000 }), // predicted positive, converts: TP
      aLead(2, at(0)), // predicted negative, coupon, never converts: TN
      aLead(3, at(0), { atMs: at(5), amountCents: 8_000 }), // predicted negative, coupon, converts: FN
    ],
    predictions: [
      aPrediction(1, { atMs: at(0.01), score: 0.9 }),
      aPrediction(2, { atMs: at(0.01), score: 0.2 }),
      aPrediction(3, { atMs: at(0.01), score: 0.3 }),
    ],
    coupons: [aCoupon(2, 2, 1_500, at(0.01)), aCoupon(3, 3, 1_000, at(0.01))],
  };
  const threeLeadsWindow30: Partial<MetricsRow> = {
    window_end: new Date(at(30)).toISOString(),
    experiment_bucket: "experiment",
    num_leads: 3,
    num_scored: 3,
    true_positives: 1,
    false_positives: 0,
    true_negatives: 1,
    false_negatives: 1,
    precision: 1,
    recall: 0.5,
    f1_score: 2 / 3, // 2·1 / (2·1 + 0 + 1)
    accuracy: 2 / 3,
    conversion_rate: 2 / 3,
    revenue_dollars: "180.00", // 100 + 80
    coupon_cost_dollars: "10.00", // only lead 3 redeemed its coupon
    net_revenue_dollars: "170.00",
    net_revenue_per_lead_dollars: 170 / 3,
    num_converted: 2,
  };

  it("counts duplicate prediction events once: the same numbers as without them", async () => {
    await given(threeLeads);
    const withoutDuplicates = await rowsAt(at(30));
    expect(withoutDuplicates).toHaveLength(1);
    expect(withoutDuplicates[0]).toMatchObject(closeTo(threeLeadsWindow30));

    await truncateInputs(reference().client);
    const delivered3Times = threeLeads.predictions.flatMap((p) => [p, p, p]);
    const lateRescore = aPrediction(1, { atMs: at(2), score: 0.1 }); // later: the first one stands
    await given({ ...threeLeads, predictions: [...delivered3Times, lateRescore] });
    expect(await rowsAt(at(30))).toEqual(withoutDuplicates);
  });

  it("puts a lead with no prediction in bucket unknown, outside the confusion matrix", async () => {
    await given({ leads: [aLead(1, at(0), { atMs: at(3), amountCents: 5_000 })] });
    expect(await rowsAt(at(30))).toEqual([
      {
        window_end: new Date(at(30)).toISOString(),
        experiment_bucket: "unknown",
        num_leads: 1,
        num_scored: 0,
        true_positives: 0,
        false_positives: 0,
        true_negatives: 0,
        false_negatives: 0,
        precision: null,
        recall: null,
        f1_score: null,
        accuracy: null,
        conversion_rate: 1,
        revenue_dollars: "50.00",
        coupon_cost_dollars: "0.00",
        net_revenue_dollars: "50.00",
        net_revenue_per_lead_dollars: 50,
        num_converted: 1,
      },
    ]);
  });

  it("counts a conversion exactly at the horizon, and not one a millisecond after it", async () => {
    await given({
      leads: [
        aLead(1, at(0), { atMs: at(30), amountCents: 2_000 }), // converted_at = created_at + H
        aLead(2, at(0), { atMs: at(30.001), amountCents: 3_000 }), // one ms late: a negative
      ],
      predictions: [aPrediction(1, { atMs: at(0), bucket: "control" }), aPrediction(2, { atMs: at(0), bucket: "control" })],
    });
    const [row] = await rowsAt(at(30));
    expect(row).toMatchObject(
      closeTo({
        experiment_bucket: "control",
        true_positives: 1,
        false_positives: 1,
        false_negatives: 0,
        precision: 0.5,
        recall: 1,
        conversion_rate: 0.5,
        revenue_dollars: "20.00",
        num_converted: 1,
      }),
    );
  });

  it("charges nothing for a coupon that is issued but not redeemed", async () => {
    await given({
      leads: [aLead(1, at(0))],
      predictions: [aPrediction(1, { atMs: at(0), score: 0.1 })],
      coupons: [aCoupon(1, 1, 2_000, at(0))],
    });
    expect(await rowsAt(at(30))).toEqual([
      expect.objectContaining({
        true_negatives: 1,
        revenue_dollars: "0.00",
        coupon_cost_dollars: "0.00",
        net_revenue_dollars: "0.00",
        net_revenue_per_lead_dollars: 0,
      }),
    ]);
  });

  it("counts a lead with two coupons once, and charges only the larger coupon", async () => {
    await given({
      leads: [aLead(1, at(0), { atMs: at(10), amountCents: 12_000 })],
      predictions: [aPrediction(1, { atMs: at(0), score: 0.4 })],
      coupons: [aCoupon(1, 1, 1_500, at(0)), aCoupon(2, 1, 2_500, at(1))],
    });
    expect(await rowsAt(at(30))).toEqual([
      expect.objectContaining({
        num_leads: 1,
        false_negatives: 1,
        num_converted: 1,
        revenue_dollars: "120.00",
        coupon_cost_dollars: "25.00",
        net_revenue_dollars: "95.00",
        net_revenue_per_lead_dollars: 95,
      }),
    ]);
  });

  it("gives NULL ratios, not an error, for a window with no positives", async () => {
    await given({
      leads: [aLead(1, at(0)), aLead(2, at(0))],
      predictions: [
        aPrediction(1, { atMs: at(0), bucket: "control", score: 0.1 }),
        aPrediction(2, { atMs: at(0), bucket: "control", score: 0.2 }),
      ],
    });
    expect(await rowsAt(at(30))).toEqual([
      expect.objectContaining({
        true_negatives: 2,
        precision: null, // TP + FP = 0
        recall: null, // TP + FN = 0
        f1_score: null, // 2TP + FP + FN = 0
        accuracy: 1,
        conversion_rate: 0,
      }),
    ]);
  });

  it("counts a lead in exactly 30 windows: its matured_at rounded up, plus 0 to 29 seconds", async () => {
    await given({ leads: [aLead(1, at(0.25))], predictions: [aPrediction(1, { atMs: at(0.3) })] });
    // matured_at = 30.25 s: windows 31 s .. 60 s hold it (E - 30 s < 30.25 s <= E).
    const rows = await rowsAt(at(70));
    expect(rows.map((r) => r.window_end)).toEqual(Array.from({ length: 30 }, (_, k) => new Date(at(31 + k)).toISOString()));
    expect(rows.every((r) => r.num_leads === 1)).toBe(true);
  });

  it("starts a lead's windows at matured_at itself when that is a whole second", async () => {
    await given({ leads: [aLead(1, at(5))], predictions: [aPrediction(1, { atMs: at(5) })] });
    const rows = await rowsAt(at(100));
    expect(rows[0]?.window_end).toBe(new Date(at(35)).toISOString());
    expect(rows.at(-1)?.window_end).toBe(new Date(at(64)).toISOString());
    expect(rows).toHaveLength(30);
  });

  it("shows a window from its end for exactly the 10-minute retention", async () => {
    await given({ leads: [aLead(1, at(0))], predictions: [aPrediction(1, { atMs: at(0) })] });
    const windowEnds = async (nowMs: number) => (await rowsAt(nowMs)).map((r) => r.window_end);
    const window30 = new Date(at(30)).toISOString();
    expect(await windowEnds(at(29.999))).toEqual([]); // not yet: the lead matures at 30 s
    expect(await windowEnds(at(30))).toEqual([window30]);
    expect(await windowEnds(at(30 + 600 - 0.001))).toContain(window30);
    expect(await windowEnds(at(30 + 600))).not.toContain(window30);
    expect(await windowEnds(at(59 + 600 - 0.001))).toEqual([new Date(at(59)).toISOString()]);
    expect(await windowEnds(at(59 + 600))).toEqual([]);
  });

  it("creates no row for a prediction whose lead does not exist", async () => {
    await given({ predictions: [aPrediction(99, { atMs: at(0) })] });
    expect(await rowsAt(at(30))).toEqual([]);
    await given({ leads: [aLead(1, at(0))], predictions: [aPrediction(1, { atMs: at(0), bucket: "control" })] });
    expect(await rowsAt(at(30))).toEqual([expect.objectContaining({ experiment_bucket: "control", num_leads: 1 })]);
  });

  it("does not count a lead younger than the 30 s horizon as a negative", async () => {
    await given({ leads: [aLead(1, at(0), { atMs: at(20), amountCents: 1_000 })], predictions: [aPrediction(1, { atMs: at(0) })] });
    expect(await rowsAt(at(29.999))).toEqual([]);
    expect(await rowsAt(at(30))).toEqual([expect.objectContaining({ true_positives: 1, false_positives: 0 })]);
  });

  it("keeps no input row older than K = 16 minutes (the widest need of any view)", async () => {
    await given({
      leads: [aLead(1, at(0))],
      predictions: [aPrediction(1, { atMs: at(0) })],
      coupons: [aCoupon(1, 1, 1_000, at(0))],
    });
    const counts = async (nowMs: number) => {
      await setNow(reference().client, nowMs);
      const result = await reference().client.query(
        "select (select count(*) from stg_leads) as leads, (select count(*) from stg_predictions) as predictions, (select count(*) from stg_coupons) as coupons",
      );
      return result.rows[0] as Record<string, string>;
    };
    expect(await counts(at(960 - 0.001))).toEqual({ leads: "1", predictions: "1", coupons: "1" });
    expect(await counts(at(960))).toEqual({ leads: "0", predictions: "0", coupons: "0" });
  });
});

/** Expected values with ratios matched to within 1e-12. */
function closeTo(row: Partial<MetricsRow>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      typeof value === "number" && !Number.isInteger(value) ? expect.closeTo(value, 12) : value,
    ]),
  );
}
