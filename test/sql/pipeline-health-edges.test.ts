// Hand-built cases for pipeline_health on the reference engine: 1-minute windows hopping every
// 10 s, shown 5 s after they end. Expected numbers are worked out by hand in each test.

import { beforeEach, describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs, type Dataset } from "./support/dataset.ts";
import { aLead, aPrediction, at } from "./support/fixtures.ts";
import { pipelineHealthAt, type PipelineHealthRow } from "./support/pipeline-health.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

const iso = (ms: number) => new Date(ms).toISOString();

describe.skipIf(!pg.available)("pipeline_health at its edges (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);
  beforeEach(async () => {
    await truncateInputs(reference().client);
  });

  async function given(data: Partial<Dataset>): Promise<void> {
    await insertDataset(reference().client, { leads: [], coupons: [], predictions: [], ...data });
  }

  async function rowsAt(nowMs: number): Promise<PipelineHealthRow[]> {
    const rows = await pipelineHealthAt(reference().client, nowMs);
    await expectInvariantsHold(reference().client, `at ${iso(nowMs)}`);
    return rows;
  }

  const windowAt = async (endS: number) => (await rowsAt(at(endS + 5))).find((r) => r.window_end === iso(at(endS)));

  it("measures coverage, duplicates and latency of one window, worked out by hand", async () => {
    // Four leads at 1..4 s; leads 1-3 scored 20, 50 and 30 ms later; lead 4 never.
    // Lead 1's message arrives 3 times, lead 2's twice: 6 messages, 3 duplicates.
    const p1 = aPrediction(1, { atMs: at(1.02) });
    const p2 = aPrediction(2, { atMs: at(2.05) });
    await given({
      leads: [1, 2, 3, 4].map((id) => aLead(id, at(id))),
      predictions: [p1, p1, p1, p2, p2, aPrediction(3, { atMs: at(3.03) })],
    });
    expect(await windowAt(10)).toEqual({
      window_end: iso(at(10)),
      leads: 4,
      scored_leads: 3,
      prediction_coverage: 0.75,
      prediction_messages: 6,
      duplicate_messages: 3,
      rejected_messages: 0,
      mean_prediction_latency_ms: expect.closeTo(100 / 3, 9), // (20 + 50 + 30) / 3
      max_prediction_latency_ms: 50,
      mean_delivery_delay_ms: 0, // test messages are received at their predicted_at
      max_delivery_delay_ms: 0,
      conversions: 0,
      conversions_after_horizon: 0,
      late_conversion_share: null,
    });
  });

  it("counts a message for an already-scored lead as a duplicate in the window where it arrived", async () => {
    // Lead 1 is scored at 1 s; a second message for it (a re-score) arrives at 95 s.
    await given({ leads: [aLead(1, at(1))], predictions: [aPrediction(1, { atMs: at(1) }), aPrediction(1, { atMs: at(95), score: 0.3 })] });
    expect(await windowAt(10)).toMatchObject({ leads: 1, prediction_messages: 1, duplicate_messages: 0 });
    expect(await windowAt(100)).toMatchObject({ leads: 0, prediction_messages: 1, duplicate_messages: 1 });
  });

  it("keeps every count of a visible window put when messages arrive 6 minutes late, and counts a copy only within 5 minutes of the lead's previous message as a duplicate", async () => {
    // Each prediction is made at its lead's time (1, 2, 3 s); the broker receives:
    //   lead 1: at 1 s, and a copy 6 minutes later (361 s): more than 5 minutes after the
    //           lead's previous message, so a new first message, not a duplicate;
    //   lead 2: only at 362 s (a 6-minute delivery delay);
    //   lead 3: at 183 s, and a copy 3 minutes later (363 s): a duplicate.
    // Window 370 s (310 < t <= 370) holds the three messages of 361..363 s, each 360 s after its
    // prediction; it is shown from 375 s until 970 s, after lead 1's and 2's predictions have
    // left stg_predictions (predicted_at + 16 min = 961, 962 s).
    const p1 = aPrediction(1, { atMs: at(1) });
    const p2 = aPrediction(2, { atMs: at(2) });
    const p3 = aPrediction(3, { atMs: at(3) });
    await given({
      leads: [aLead(1, at(1)), aLead(2, at(2)), aLead(3, at(3))],
      rawMessages: [
        { text: JSON.stringify(p1), receivedAtMs: at(1) },
        { text: JSON.stringify(p1), receivedAtMs: at(361) },
        { text: JSON.stringify(p2), receivedAtMs: at(362) },
        { text: JSON.stringify(p3), receivedAtMs: at(183) },
        { text: JSON.stringify(p3), receivedAtMs: at(363) },
      ],
    });
    const expected = {
      window_end: iso(at(370)),
      leads: 0,
      prediction_messages: 3,
      duplicate_messages: 1,
      mean_delivery_delay_ms: 360_000,
      max_delivery_delay_ms: 360_000,
    };
    for (const nowS of [375, 900, 961, 962.5, 969.999]) {
      const window370 = (await rowsAt(at(nowS))).find((r) => r.window_end === iso(at(370)));
      expect(window370, `window 370 s at ${nowS} s`).toMatchObject(expected);
    }
    // A message delivered 17 minutes after its prediction is still counted where it arrived.
    await given({ rawMessages: [{ text: JSON.stringify(aPrediction(4, { atMs: at(4) })), receivedAtMs: at(1024) }] });
    expect(await windowAt(1030)).toMatchObject({ prediction_messages: 1, duplicate_messages: 0, max_delivery_delay_ms: 1_020_000 });
  });

  it("counts malformed messages as rejected where they arrive, and nowhere else", async () => {
    const valid = aPrediction(1, { atMs: at(1) });
    await given({
      leads: [aLead(1, at(1))],
      predictions: [valid],
      rawMessages: [
        { text: "{not json", receivedAtMs: at(2) },
        { text: null, receivedAtMs: at(3) },
        { text: JSON.stringify({ ...valid, score: "high" }), receivedAtMs: at(4) }, // a string score
        { text: JSON.stringify({ ...valid, lead_id: 2, experiment_bucket: "treatment" }), receivedAtMs: at(15) },
      ],
    });
    expect(await windowAt(10)).toMatchObject({ leads: 1, scored_leads: 1, prediction_messages: 1, duplicate_messages: 0, rejected_messages: 3 });
    expect(await windowAt(20)).toMatchObject({ prediction_messages: 1, rejected_messages: 4 });
    expect(await windowAt(70)).toMatchObject({ prediction_messages: 0, rejected_messages: 1 });
  });

  it("measures delivery delay from predicted_at to the broker's received_at", async () => {
    const p1 = aPrediction(1, { atMs: at(1) });
    const p2 = aPrediction(2, { atMs: at(2) });
    await given({
      leads: [aLead(1, at(1)), aLead(2, at(2))],
      rawMessages: [
        { text: JSON.stringify(p1), receivedAtMs: at(1.2) }, // 200 ms
        { text: JSON.stringify(p2), receivedAtMs: at(2.8) }, // 800 ms
        { text: JSON.stringify(p2), receivedAtMs: at(9) }, // a redelivered copy: 7 s, a duplicate
      ],
    });
    expect(await windowAt(10)).toMatchObject({
      prediction_messages: 3,
      duplicate_messages: 1,
      mean_delivery_delay_ms: 8_000 / 3, // (200 + 800 + 7000) / 3
      max_delivery_delay_ms: 7_000,
      mean_prediction_latency_ms: 0,
    });
  });

  it("counts conversions after the 30 s horizon as late, up to 5 minutes after the lead", async () => {
    await given({
      leads: [
        aLead(1, at(0), { atMs: at(30), amountCents: 100 }), // exactly at the horizon: on time
        aLead(2, at(0), { atMs: at(30.001), amountCents: 100 }), // late
        aLead(3, at(0), { atMs: at(300), amountCents: 100 }), // 5 minutes: late, counted
        aLead(4, at(0), { atMs: at(300.001), amountCents: 100 }), // beyond 5 minutes: not counted
      ],
    });
    expect(await windowAt(40)).toMatchObject({ conversions: 2, conversions_after_horizon: 1, late_conversion_share: 0.5 });
    expect(await windowAt(300)).toMatchObject({ conversions: 1, conversions_after_horizon: 1, late_conversion_share: 1 });
    // Lead 4's conversion (300.001 s) would be in windows 310 .. 360 s: it is in none.
    expect(await windowAt(310)).toMatchObject({ conversions: 1 }); // lead 3's, still
    expect(await windowAt(360)).toBeUndefined();
  });

  it("gives NULL coverage and latency, not an error, for a window with messages but no leads", async () => {
    await given({ predictions: [aPrediction(99, { atMs: at(1) })] }); // a prediction for an unknown lead
    expect(await windowAt(10)).toMatchObject({ leads: 0, prediction_coverage: null, mean_prediction_latency_ms: null, max_prediction_latency_ms: null, prediction_messages: 1 });
  });

  it("names windows by 10-second ends, holds an event in 6 of them, and shows each from 5 s after its end", async () => {
    await given({ leads: [aLead(1, at(10)), aLead(2, at(10.001))] });
    const rows = await rowsAt(at(200));
    // Lead 1 at 10 s: windows 10 .. 60 s; lead 2 at 10.001 s: windows 20 .. 70 s.
    expect(rows.map((r) => [r.window_end, r.leads])).toEqual([
      [iso(at(10)), 1], [iso(at(20)), 2], [iso(at(30)), 2], [iso(at(40)), 2], [iso(at(50)), 2], [iso(at(60)), 2], [iso(at(70)), 1],
    ]);
    expect((await rowsAt(at(14.999))).map((r) => r.window_end)).toEqual([]);
    expect((await rowsAt(at(15))).map((r) => r.window_end)).toEqual([iso(at(10))]);
    expect((await rowsAt(at(10 + 600 - 0.001))).map((r) => r.window_end)).toContain(iso(at(10)));
    expect((await rowsAt(at(10 + 600))).map((r) => r.window_end)).not.toContain(iso(at(10)));
  });
});
