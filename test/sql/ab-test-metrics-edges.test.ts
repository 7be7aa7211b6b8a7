// Hand-built cases, one per edge of ab_test_metrics, on the reference engine. Expected numbers
// are worked out by hand in each test from the contract (5-minute windows hopping every 10 s,
// Welch standard error, fixed-horizon 95 % interval, SRM χ² against experiment_design).

import { beforeEach, describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { abTestAt, type AbTestRow } from "./support/ab-test.ts";
import { setDesign } from "./support/experiment-design.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs, type Dataset } from "./support/dataset.ts";
import { aCoupon, aLead, aPrediction, at } from "./support/fixtures.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

const iso = (ms: number) => new Date(ms).toISOString();

describe.skipIf(!pg.available)("ab_test_metrics at its edges (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);
  beforeEach(async () => {
    await truncateInputs(reference().client);
    await setDesign(reference().client, { control: 0.2, experiment: 0.8 });
  });

  async function given(data: Partial<Dataset>): Promise<void> {
    await insertDataset(reference().client, { leads: [], coupons: [], predictions: [], ...data });
  }

  async function rowsAt(nowMs: number): Promise<AbTestRow[]> {
    const rows = await abTestAt(reference().client, nowMs);
    await expectInvariantsHold(reference().client, `at ${iso(nowMs)}`);
    return rows;
  }

  /** A lead created at `createdS` seconds in `bucket`, converting 10 s later for `dollars` if given. */
  function lead(id: number, bucket: string, dollars?: number, createdS = 0) {
    return {
      lead: aLead(id, at(createdS), dollars === undefined ? undefined : { atMs: at(createdS + 10), amountCents: dollars * 100 }),
      prediction: aPrediction(id, { atMs: at(createdS + 0.01), bucket, score: 0.9 }),
    };
  }
  const dataOf = (...ls: Array<ReturnType<typeof lead>>) => ({ leads: ls.map((l) => l.lead), predictions: ls.map((l) => l.prediction) });

  it("computes means, Welch standard error, interval, conversion rates and χ² worked out by hand", async () => {
    // Control x = $100, $0, $50: mean 50, s² = (50² + 50² + 0²) / 2 = 2500.
    // Experiment x = $120 − $20 coupon = $100, and $60: mean 80, s² = (20² + 20²) / 1 = 800.
    // SE = √(800/2 + 2500/3) = √1233.33…; uplift = 30; interval 30 ∓ 1.96·SE.
    // χ² with π = 0.2 / 0.8, n = 5: expected 1 and 4: (3 − 1)²/1 + (2 − 4)²/4 = 5.
    await given({
      ...dataOf(lead(1, "control", 100), lead(2, "control"), lead(3, "control", 50), lead(4, "experiment", 120), lead(5, "experiment", 60)),
      coupons: [aCoupon(1, 4, 2_000, at(0.01))],
    });
    const rows = await rowsAt(at(30));
    const se = Math.sqrt(800 / 2 + 2500 / 3);
    expect(rows).toEqual([
      {
        window_end: iso(at(30)),
        control_leads: 3,
        experiment_leads: 2,
        control_net_revenue_per_lead_dollars: expect.closeTo(50, 12),
        experiment_net_revenue_per_lead_dollars: expect.closeTo(80, 12),
        uplift_dollars_per_lead: expect.closeTo(30, 12),
        uplift_standard_error: expect.closeTo(se, 12),
        uplift_ci_low: expect.closeTo(30 - 1.96 * se, 12),
        uplift_ci_high: expect.closeTo(30 + 1.96 * se, 12),
        control_conversion_rate: expect.closeTo(2 / 3, 12),
        experiment_conversion_rate: 1,
        srm_chi_square: expect.closeTo(5, 12),
        control_observed_share: expect.closeTo(3 / 5, 12),
        control_expected_share: 0.2,
      },
    ]);
  });

  it("gives NULL uplift, standard error and interval, not an error, when a bucket holds one lead", async () => {
    await given(dataOf(lead(1, "control", 40), lead(2, "experiment", 10), lead(3, "experiment", 30)));
    const [row] = await rowsAt(at(30));
    expect(row).toMatchObject({
      control_leads: 1,
      experiment_leads: 2,
      control_net_revenue_per_lead_dollars: 40, // a mean of one lead is still a mean
      experiment_net_revenue_per_lead_dollars: 20,
      uplift_dollars_per_lead: null,
      uplift_standard_error: null,
      uplift_ci_low: null,
      uplift_ci_high: null,
    });
  });

  it("gives NULL means for an empty bucket and still counts the window", async () => {
    await given(dataOf(lead(1, "experiment", 10), lead(2, "experiment", 30)));
    const [row] = await rowsAt(at(30));
    expect(row).toMatchObject({
      control_leads: 0,
      experiment_leads: 2,
      control_net_revenue_per_lead_dollars: null,
      control_conversion_rate: null,
      uplift_dollars_per_lead: null,
      // (0 − 0.4)²/0.4 + (2 − 1.6)²/1.6 = 0.4 + 0.1
      srm_chi_square: expect.closeTo(0.5, 12),
    });
  });

  it("gives a zero standard error and a zero-width interval when neither bucket varies", async () => {
    await given(dataOf(lead(1, "control"), lead(2, "control"), lead(3, "experiment", 50), lead(4, "experiment", 50)));
    const [row] = await rowsAt(at(30));
    expect(row).toMatchObject({
      uplift_dollars_per_lead: 50,
      uplift_standard_error: 0,
      uplift_ci_low: 50,
      uplift_ci_high: 50,
    });
  });

  it("counts duplicate and re-scored prediction messages once, by the first prediction, and ignores malformed ones", async () => {
    const base = dataOf(lead(1, "control", 100), lead(2, "control"), lead(3, "experiment", 40), lead(4, "experiment"));
    await given(base);
    const once = await rowsAt(at(30));
    await truncateInputs(reference().client);
    // Every message three times, and a later re-score moving lead 1 to the other bucket.
    const rescore = aPrediction(1, { atMs: at(2), bucket: "experiment", score: 0.1 });
    // And malformed messages: not JSON, no value, a lead of the control bucket said to be in "treatment".
    const rawMessages = [
      { text: "{", receivedAtMs: at(1) },
      { text: null, receivedAtMs: at(1) },
      { text: JSON.stringify({ ...aPrediction(2, { atMs: at(0) }), experiment_bucket: "treatment" }), receivedAtMs: at(0) },
    ];
    await given({ leads: base.leads, predictions: [...base.predictions.flatMap((p) => [p, p, p]), rescore], rawMessages });
    expect(await rowsAt(at(30))).toEqual(once);
    expect(once[0]).toMatchObject({ control_leads: 2, experiment_leads: 2 });
  });

  it("counts a conversion after the 30 s horizon as no revenue and no redeemed coupon", async () => {
    await given({
      leads: [
        aLead(1, at(0), { atMs: at(30.001), amountCents: 9_000 }), // one ms late
        aLead(2, at(0), { atMs: at(30), amountCents: 5_000 }), // exactly at the horizon
        aLead(3, at(0)),
        aLead(4, at(0)),
      ],
      predictions: [1, 2, 3, 4].map((id) => aPrediction(id, { atMs: at(0), bucket: id <= 2 ? "experiment" : "control" })),
      coupons: [aCoupon(1, 1, 1_000, at(0)), aCoupon(2, 2, 500, at(0))],
    });
    const [row] = await rowsAt(at(30));
    expect(row).toMatchObject({
      experiment_conversion_rate: 0.5,
      experiment_net_revenue_per_lead_dollars: 22.5, // (0 + 50 − 5) / 2
    });
  });

  it("leaves out leads with no prediction (bucket unknown)", async () => {
    await given({ ...dataOf(lead(1, "control", 10)), leads: [aLead(1, at(0)), aLead(2, at(0), { atMs: at(5), amountCents: 100 })] });
    expect(await rowsAt(at(30))).toEqual([expect.objectContaining({ control_leads: 1, experiment_leads: 0 })]);
    await truncateInputs(reference().client);
    await given({ leads: [aLead(1, at(0))] }); // a window of unknown leads only compares nothing
    expect(await rowsAt(at(30))).toEqual([]);
  });

  it("names windows by 10-second ends and holds a lead in exactly 30 of them, from its matured_at rounded up", async () => {
    // matured_at = 40 s exactly: windows 40 s .. 330 s. matured_at = 40.001 s: windows 50 s .. 340 s.
    await given(dataOf(lead(1, "control", 10, 10), lead(2, "experiment", 10, 10.001)));
    const rows = await rowsAt(at(400));
    const ends = (pick: (r: AbTestRow) => number) => rows.filter((r) => pick(r) === 1).map((r) => r.window_end);
    expect(ends((r) => r.control_leads)).toEqual(Array.from({ length: 30 }, (_, k) => iso(at(40 + 10 * k))));
    expect(ends((r) => r.experiment_leads)).toEqual(Array.from({ length: 30 }, (_, k) => iso(at(50 + 10 * k))));
  });

  it("shows a window from its end for exactly the 10-minute retention", async () => {
    await given(dataOf(lead(1, "control", 10, 10)));
    const windowEnds = async (nowMs: number) => (await rowsAt(nowMs)).map((r) => r.window_end);
    expect(await windowEnds(at(39.999))).toEqual([]); // the lead matures at 40 s
    expect(await windowEnds(at(49.999))).toEqual([iso(at(40))]);
    expect(await windowEnds(at(40 + 600 - 0.001))).toContain(iso(at(40)));
    expect(await windowEnds(at(40 + 600))).not.toContain(iso(at(40)));
    expect(await windowEnds(at(330 + 600 - 0.001))).toEqual([iso(at(330))]);
    expect(await windowEnds(at(330 + 600))).toEqual([]);
  });

  it("flags a split far from the design: χ² = 11.25 > 10.83 for 10 control and 10 experiment leads at 20/80", async () => {
    // n = 20: expected 4 and 16; (10 − 4)²/4 + (10 − 16)²/16 = 9 + 2.25.
    const leads = Array.from({ length: 20 }, (_, i) => lead(i + 1, i < 10 ? "control" : "experiment"));
    await given(dataOf(...leads));
    const [row] = await rowsAt(at(30));
    expect(row?.srm_chi_square).toBeCloseTo(11.25, 12);
    await setDesign(reference().client, { control: 0.5, experiment: 0.5 });
    expect((await rowsAt(at(30)))[0]?.srm_chi_square).toBe(0);
  });

  it("gives a NULL χ², not an error, while the design is missing", async () => {
    await setDesign(reference().client, {});
    await given(dataOf(lead(1, "control", 10), lead(2, "experiment", 10)));
    expect(await rowsAt(at(30))).toEqual([expect.objectContaining({ control_leads: 1, srm_chi_square: null, control_expected_share: null })]);
  });
});
