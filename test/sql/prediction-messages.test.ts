// Malformed prediction messages on the reference engine: each kind a producer can send is
// rejected with a reason naming the field, classifier_metrics still answers and equals the
// brute-force oracle over the valid messages only, and the rejection is counted per window.
// Every message the load generator sends is accepted.

import { beforeEach, describe, expect, it } from "vitest";
import { encodePrediction } from "../../loadgen/sinks/prediction-message.ts";
import { makeProfile } from "../../loadgen/sim/profiles/index.ts";
import { simulate } from "../../loadgen/sim/simulate.ts";
import { usePostgres } from "../helpers/services.ts";
import { expectInvariantsHold } from "./support/checks.ts";
import { insertDataset, truncateInputs, type Dataset, type RawMessage } from "./support/dataset.ts";
import { aLead, aPrediction, at } from "./support/fixtures.ts";
import { MALFORMED_KINDS } from "./support/malformed.ts";
import { expectSameMetrics, metricsAt, setNow } from "./support/metrics.ts";
import { oracleMetrics } from "./support/oracle.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

describe.skipIf(!pg.available)("malformed prediction messages (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);
  beforeEach(async () => {
    await truncateInputs(reference().client);
  });

  // Three leads with valid predictions, and lead 4 whose only message is malformed: the
  // oracle must leave lead 4 without a prediction (bucket unknown).
  const RECEIVED_MS = at(0.5);
  const validData: Dataset = {
    leads: [
      aLead(1, at(0), { atMs: at(10), amountCents: 10_000 }),
      aLead(2, at(0)),
      aLead(3, at(0), { atMs: at(5), amountCents: 8_000 }),
      aLead(4, at(0), { atMs: at(7), amountCents: 5_000 }),
    ],
    coupons: [],
    predictions: [
      aPrediction(1, { atMs: RECEIVED_MS, score: 0.9 }),
      aPrediction(2, { atMs: RECEIVED_MS, score: 0.2, bucket: "control" }),
      aPrediction(3, { atMs: RECEIVED_MS, score: 0.3 }),
    ],
  };
  const lead4 = aPrediction(4, { atMs: RECEIVED_MS, score: 0.7 });

  async function quality(nowMs: number) {
    await setNow(reference().client, nowMs);
    const result = await reference().client.query(
      "select window_end, num_messages, num_valid, num_rejected, most_common_rejection_reason from prediction_message_quality order by window_end",
    );
    return result.rows.map((r) => ({ ...r, num_messages: Number(r.num_messages), num_valid: Number(r.num_valid), num_rejected: Number(r.num_rejected) }));
  }

  for (const kind of MALFORMED_KINDS) {
    it(`rejects a message that ${kind.what}, naming ${kind.field}, and keeps the metrics equal to the oracle`, async () => {
      const raw: RawMessage = { text: kind.text(lead4), receivedAtMs: RECEIVED_MS };
      const data: Dataset = { ...validData, rawMessages: [raw] };
      await insertDataset(reference().client, data);

      const nowMs = at(70);
      expectSameMetrics(await metricsAt(reference().client, nowMs), oracleMetrics(data, nowMs), kind.what);
      await expectInvariantsHold(reference().client, kind.what);

      const rows = await quality(nowMs);
      // Received at 0.5 s: the message is in the 30 windows ending at 1..30 s.
      expect(rows).toHaveLength(30);
      for (const row of rows) {
        expect({ messages: row.num_messages, valid: row.num_valid, rejected: row.num_rejected }).toEqual({ messages: 4, valid: 3, rejected: 1 });
        expect(row.most_common_rejection_reason).toMatch(new RegExp(`^${kind.field}: `));
      }
    });
  }

  it("counts lead 4 as scored once its message is well-formed (the fixture itself is valid)", async () => {
    const data: Dataset = { ...validData, rawMessages: [{ text: JSON.stringify(lead4), receivedAtMs: RECEIVED_MS }] };
    await insertDataset(reference().client, data);
    const rows = await metricsAt(reference().client, at(70));
    expect(rows.some((r) => r.experiment_bucket === "unknown")).toBe(false);
    expect((await quality(at(70)))[0]).toMatchObject({ num_messages: 4, num_valid: 4, num_rejected: 0, most_common_rejection_reason: null });
  });

  it("checks the calendar: leap days exist only in leap years, by the Gregorian rule", async () => {
    const dates = { "2024-02-29": true, "2000-02-29": true, "2100-02-29": false, "2026-02-29": false, "2026-04-31": false, "2026-12-31": true };
    const rawMessages = Object.keys(dates).map((day, i) => ({
      text: JSON.stringify({ ...aPrediction(10 + i, { atMs: RECEIVED_MS }), predicted_at: `${day}T12:00:00.250+02:00` }),
      receivedAtMs: RECEIVED_MS,
    }));
    await insertDataset(reference().client, { leads: [], coupons: [], predictions: [], rawMessages });
    await setNow(reference().client, at(60));
    const result = await reference().client.query("select lead_id, is_valid, rejection_reason from stg_prediction_messages");
    expect(result.rows).toHaveLength(6);
    const validByDay = Object.fromEntries(
      Object.keys(dates).map((day, i) => [day, result.rows.some((r) => r.is_valid && Number(r.lead_id) === 10 + i)]),
    );
    expect(validByDay).toEqual(dates);
  });

  it("accepts every message the load generator sends, in both profiles", async () => {
    const rawMessages: RawMessage[] = [];
    for (const profile of ["default", "aispy"] as const) {
      const steps = simulate({ seed: `messages-${profile}`, profile: makeProfile(profile), startMs: at(0), firstLeadId: 1, ratePerSecond: 200, leads: 3_000 });
      for (const step of steps) {
        if (step.kind !== "arrival") continue;
        const text = encodePrediction(step.plan.prediction);
        rawMessages.push({ text, receivedAtMs: Date.parse(step.plan.prediction.predicted_at) });
      }
    }
    await insertDataset(reference().client, { leads: [], coupons: [], predictions: [], rawMessages });
    await setNow(reference().client, at(60));
    const result = await reference().client.query(
      "select count(*) as messages, count(*) filter (where is_valid) as valid, min(rejection_reason) as a_reason from stg_prediction_messages",
    );
    expect(result.rows[0]).toEqual({ messages: String(rawMessages.length), valid: String(rawMessages.length), a_reason: null });
  });
});
