import { randomBytes } from "node:crypto";
import { Kafka, Partitioners, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAllMessages } from "../helpers/kafka.ts";
import { useKafka } from "../helpers/services.ts";

const kafka = await useKafka();

describe.skipIf(!kafka.available)("readAllMessages", () => {
  const brokers = kafka.available ? kafka.brokers : [];
  const client = new Kafka({ clientId: "lab-kafka-helper-test", brokers, logLevel: logLevel.ERROR });
  const admin = client.admin();
  const topic = `lab-test-read-all-${randomBytes(6).toString("hex")}`;
  const emptyTopic = `${topic}-empty`;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 2 },
        { topic: emptyTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic, emptyTopic] }).catch(() => {});
    await admin.disconnect();
  });

  it("reads back every message of every partition, ordered by partition then offset", async () => {
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { partition: 0, key: "lead-1", value: '{"n":1}' },
        { partition: 1, key: null, value: '{"n":2}' },
        { partition: 0, key: "lead-3", value: '{"n":3}' },
      ],
    });
    await producer.disconnect();

    const sentFromMs = Date.now() - 60_000;
    const messages = await readAllMessages(brokers, topic);
    expect(messages.map(({ key, value }) => ({ key, value }))).toEqual([
      { key: "lead-1", value: '{"n":1}' },
      { key: "lead-3", value: '{"n":3}' },
      { key: null, value: '{"n":2}' },
    ]);
    // The broker's timestamp, as Materialize's INCLUDE TIMESTAMP exposes it.
    for (const { timestampMs } of messages) expect(timestampMs).toBeGreaterThan(sentFromMs);
  });

  it("returns nothing for an empty topic without waiting", async () => {
    expect(await readAllMessages(brokers, emptyTopic, { timeoutMs: 1000 })).toEqual([]);
  });
});
