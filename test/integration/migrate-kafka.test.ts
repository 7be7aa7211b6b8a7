import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { testTopic } from "../helpers/kafka.ts";
import { runTool } from "../helpers/run-tool.ts";
import { useKafka } from "../helpers/services.ts";

const kafka = await useKafka();

describe.skipIf(!kafka.available)("the kafka migration target", () => {
  it("creates the predictions topic, and a second run changes nothing and succeeds", async () => {
    if (!kafka.available) return;
    const topic = testTopic(kafka.brokers, "migrate");
    const env = { KAFKA_BROKERS: kafka.brokers.join(","), KAFKA_TOPIC: topic };
    const first = await runTool("scripts/migrate.ts", ["--target", "kafka"], { env });
    expect(first.code, first.stderr).toBe(0);
    const second = await runTool("scripts/migrate.ts", ["--target", "kafka"], { env });
    expect(second.code, second.stderr).toBe(0);

    const admin = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics).toHaveLength(1);
      expect(topics[0]?.partitions).toHaveLength(1);
    } finally {
      await admin.disconnect();
    }
  });

  it("gives up with exit code 1 after the configured timeout, naming the brokers and the timeout, when none answers", async () => {
    const started = performance.now();
    const run = await runTool("scripts/migrate.ts", ["--target", "kafka"], {
      env: { KAFKA_BROKERS: "127.0.0.1:9", KAFKA_TOPIC: "never", MIGRATE_CONNECT_TIMEOUT_SECONDS: "3" },
    });
    const elapsedMs = performance.now() - started;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("127.0.0.1:9");
    expect(run.stderr).toMatch(/within 3 s \(the configured timeout, MIGRATE_CONNECT_TIMEOUT_SECONDS; gave up after 3(\.\d)? s\)/);
    expect(elapsedMs, "the timeout, plus start-up and one refused attempt").toBeGreaterThanOrEqual(3_000);
    expect(elapsedMs, "the timeout, plus start-up and one refused attempt").toBeLessThan(3_000 + 3_000);
  });

  it("refuses a malformed broker list with exit code 2, naming KAFKA_BROKERS", async () => {
    const run = await runTool("scripts/migrate.ts", ["--target", "kafka"], { env: { KAFKA_BROKERS: "redpanda" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("KAFKA_BROKERS");
  });
});
