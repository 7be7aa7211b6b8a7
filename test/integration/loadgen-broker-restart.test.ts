// A broker restart mid-run, on a private Apache Kafka broker (started from the same Maven
// Central jars as CI's, on free ports; test/helpers/private-services.ts) so that no other test's
// broker goes away.

import { spawnSync } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { expectEventually } from "../helpers/eventually.ts";
import { labDatabase } from "../helpers/lab-database.ts";
import { readAllMessages } from "../helpers/kafka.ts";
import { withClient } from "../helpers/postgres.ts";
import { privateBroker } from "../helpers/private-services.ts";
import { runTool } from "../helpers/run-tool.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();
const kafka = await useKafka();
const missingTools = ["java", "mvn"].filter((tool) => spawnSync("bash", ["-c", `command -v ${tool}`]).status !== 0);
if (missingTools.length > 0) process.stderr.write(`[skip] broker restart test: ${missingTools.join(", ")} not found\n`);
const OUTAGE_LOGGED = /kafka client: .*(Connection|connect|broker)/i;
const ready = postgres.available && kafka.available && missingTools.length === 0;

describe.skipIf(!ready)("the load generator when the broker restarts", () => {
  it("waits for the broker, then continues: every lead once in Postgres, and a prediction for each in Kafka", async () => {
    if (!postgres.available) return;
    // Stopped and deleted by an onTestFinished hook, even when the test fails or times out.
    const broker = await privateBroker();
    await using db = await labDatabase(postgres.adminUrl);
    const topic = "conversion_predictions";
    let stderrSoFar = "";
    const generator = runTool("loadgen/main.ts", ["--mode", "live", "--rate", "150", "--seed", "9", "--duration-seconds", "16"], {
      env: { POSTGRES_URL: db.loadgenUrl, KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC: topic },
      onStderr: (text) => (stderrSoFar = text),
    });
    const leadCount = () => withClient(db.adminUrl, async (c) => (await c.query<{ n: number }>("select count(*)::int as n from leads")).rows[0]?.n ?? 0);
    await expectEventually(async () => ({ leads: await leadCount(), onTopic: await messagesOnTopic(broker.brokers, topic) }), (seen) => {
      expect(seen.leads).toBeGreaterThan(0);
      expect(seen.onTopic).toBeGreaterThan(0);
    }, { timeoutMs: 30_000, describe: "leads in Postgres and predictions on the topic before the broker stops" });
    await broker.stop();
    const stderrBeforeStop = stderrSoFar.length;
    await expectEventually(async () => stderrSoFar.slice(stderrBeforeStop).slice(-3000), (text) => expect(text).toMatch(OUTAGE_LOGGED), { timeoutMs: 30_000, describe: "the generator noticing the outage" });
    await broker.start();
    await expectEventually(() => messagesOnTopic(broker.brokers, topic), (n) => expect(n).toBeGreaterThan(0), { timeoutMs: 30_000, describe: "the restarted broker answering" });
    const result = await generator;

    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    expect(result.stderr, "the generator logged the outage").toMatch(OUTAGE_LOGGED);
    const [row] = await withClient(db.adminUrl, async (c) =>
      (await c.query<{ leads: number; distinct_ids: number; max_id: number }>(
        "select count(*)::int as leads, count(distinct id)::int as distinct_ids, max(id)::int as max_id from leads",
      )).rows);
    expect(row?.leads).toBeGreaterThan(1_000);
    expect(row?.distinct_ids).toBe(row?.leads);
    expect(row?.max_id).toBe(row?.leads);
    const predicted = new Set((await readAllMessages([broker.brokers], topic)).map((m) => Number(m.key)));
    const missing = Array.from({ length: row?.leads ?? 0 }, (_, i) => i + 1).filter((id) => !predicted.has(id));
    expect(missing, "leads without a prediction message").toEqual([]);
  });
});

/** The topic's high watermark summed over partitions; throws while the broker does not answer. */
async function messagesOnTopic(brokers: string, topic: string): Promise<number> {
  const admin = new Kafka({ clientId: "lab-test-broker-restart", brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}
