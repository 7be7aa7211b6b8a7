// The largest batch the config allows (--batch-size 10000) against the real broker: one record
// batch of 10,000 predictions is about 2 MB, over the broker's 1 MiB limit, so the producer must
// send it in parts. Before it did, the run stopped at its first batch with MESSAGE_TOO_LARGE.

import { describe, expect, it } from "vitest";
import { labDatabase } from "../helpers/lab-database.ts";
import { readAllMessages, testTopic } from "../helpers/kafka.ts";
import { withClient } from "../helpers/postgres.ts";
import { runTool } from "../helpers/run-tool.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();
const kafka = await useKafka();
const LEADS = 25_000;

describe.skipIf(!postgres.available || !kafka.available)("the load generator with the largest batch size", () => {
  it("writes every lead and sends every prediction, in lead order, when a batch is over the broker's limit", async () => {
    if (!postgres.available || !kafka.available) return;
    await using db = await labDatabase(postgres.adminUrl);
    const topic = testTopic(kafka.brokers, "largest_batch");
    const run = await runTool("loadgen/main.ts", ["--mode", "fast", "--seed", "3", "--leads", String(LEADS), "--batch-size", "10000"], {
      env: { POSTGRES_URL: db.loadgenUrl, KAFKA_BROKERS: kafka.brokers.join(","), KAFKA_TOPIC: topic },
      timeoutMs: 120_000,
    });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const leads = await withClient(db.adminUrl, async (c) => (await c.query<{ n: number }>("select count(*)::int as n from leads")).rows[0]!.n);
    expect(leads).toBe(LEADS);
    const keys = (await readAllMessages(kafka.brokers, topic)).map((m) => Number(m.key));
    expect(keys).toEqual(Array.from({ length: LEADS }, (_, i) => i + 1));
  });
});
