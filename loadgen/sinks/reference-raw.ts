// Writes each prediction message, exactly as the Kafka sink would send it (the same JSON text,
// as many copies as a scenario's incident sends), into the reference engine's
// `conversion_predictions_raw (text, received_at)`, received at the simulated send time. A
// fast run then needs no broker: `npm run evaluate` chains it after the Postgres sink.
// Not idempotent: a batch written twice is two copies of each message (counted as duplicates
// by pipeline_health, removed by the views' de-duplication), so its caller does not retry.

import pg from "pg";
import type { SimStep } from "../sim/events.ts";
import { encodePrediction } from "./prediction-message.ts";
import { arrivalsIn, type Sink } from "./sink.ts";
import { readSql } from "./sql/read-sql.ts";

const INSERT_RAW = readSql("insert-raw-predictions.sql");

export async function referenceRawSink(url: string): Promise<Sink> {
  const client = new pg.Client({ connectionString: url, application_name: "lab-evaluate" });
  await client.connect();
  return {
    name: "reference-raw",
    async write(steps: readonly SimStep[]) {
      const texts: string[] = [];
      const receivedAt: string[] = [];
      for (const { prediction, predictionCopies } of arrivalsIn(steps)) {
        const text = encodePrediction(prediction);
        for (let copy = 0; copy < (predictionCopies ?? 1); copy++) {
          texts.push(text);
          receivedAt.push(prediction.predicted_at);
        }
      }
      if (texts.length > 0) await client.query(INSERT_RAW, [texts, receivedAt]);
    },
    async [Symbol.asyncDispose]() {
      await client.end().catch(() => {});
    },
  };
}
