// loadgen/sinks/reference-raw.ts writes each prediction message as the Kafka sink would send
// it: the same JSON text, as many copies as the plan says (none under an outage, three under
// duplicate_predictions), received at its send time, into the reference engine's stand-in
// for the Kafka source; and the staging view reads every copy as valid.

import { describe, expect, it } from "vitest";
import { makeProfile } from "../../loadgen/sim/profiles/index.ts";
import { simulate } from "../../loadgen/sim/simulate.ts";
import { encodePrediction } from "../../loadgen/sinks/prediction-message.ts";
import { referenceRawSink } from "../../loadgen/sinks/reference-raw.ts";
import type { SimStep } from "../../loadgen/sim/events.ts";
import { usePostgres } from "../helpers/services.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

describe.skipIf(!pg.available)("the reference-raw sink", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);

  it("stores each message's exact text once per copy, received at its predicted_at", async () => {
    const steps: SimStep[] = [...simulate({ seed: "raw-sink", profile: makeProfile("default"), startMs: Date.UTC(2026, 0, 1), firstLeadId: 1, ratePerSecond: 80, leads: 5 })];
    const arrivals = steps.flatMap((s) => (s.kind === "arrival" ? [s.plan] : []));
    const copies = [1, 0, 3, undefined, 2]; // lead 2 dropped (outage), lead 3 sent three times
    arrivals.forEach((plan, i) => {
      const n = copies[i];
      if (n === undefined) delete plan.predictionCopies;
      else plan.predictionCopies = n;
    });
    {
      await using sink = await referenceRawSink(reference().url);
      await sink.write(steps);
    }
    const { rows } = await reference().client.query<{ text: string; received_at: Date }>("select text, received_at from conversion_predictions_raw order by received_at, text");
    const expected = arrivals.flatMap((plan, i) =>
      Array.from({ length: copies[i] ?? 1 }, () => ({ text: encodePrediction(plan.prediction), received_at: new Date(plan.prediction.predicted_at) })),
    ).sort((a, b) => a.received_at.getTime() - b.received_at.getTime() || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(1 + 0 + 3 + 1 + 2);
    await reference().client.query("select set_config('lab.now', $1, false)", [new Date(Date.UTC(2026, 0, 1, 0, 1)).toISOString()]);
    const valid = await reference().client.query<{ n: string }>("select count(*) as n from stg_prediction_messages where is_valid");
    expect(Number(valid.rows[0]?.n)).toBe(7);
  });
});
