// The real services the other layers rely on: CI starts them with scripts/services/, a Docker host
// gets containers, anything else skips with a printed reason.

import { randomBytes } from "node:crypto";
import { Kafka, Partitioners, logLevel } from "kafkajs";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/postgres.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();
const kafka = await useKafka();

describe.skipIf(!postgres.available)("the postgres service", () => {
  const adminUrl = postgres.available ? postgres.adminUrl : "";

  it("accepts connections and has wal_level logical", async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ wal_level: string }>("SHOW wal_level");
      expect(rows).toEqual([{ wal_level: "logical" }]);
    } finally {
      await client.end();
    }
  });

  it("gives each suite its own empty database and drops it even with a connection left open", async () => {
    const db = await createTestDatabase(adminUrl);
    expect(db.name).toMatch(/^lab_test_[0-9a-f]{12}$/);
    const leftOpen = new pg.Client({ connectionString: db.url });
    leftOpen.on("error", () => {}); // the drop terminates it
    await leftOpen.connect();
    const { rows } = await leftOpen.query("SELECT current_database() AS name, count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'");
    expect(rows).toEqual([{ name: db.name, tables: 0 }]);

    await db.drop();

    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const left = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [db.name]);
      expect(left.rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });
});

describe.skipIf(!kafka.available)("the kafka broker", () => {
  const brokers = kafka.available ? kafka.brokers : [];

  it("accepts a produced message", async () => {
    const client = new Kafka({ clientId: "lab-services-test", brokers, logLevel: logLevel.ERROR });
    const topic = `lab-test-services-${randomBytes(6).toString("hex")}`;
    const admin = client.admin();
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const [written] = await producer.send({ topic, messages: [{ key: "k", value: "hello" }] });
      expect(written).toMatchObject({ topicName: topic, partition: 0, errorCode: 0, baseOffset: "0" });
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets).toEqual([expect.objectContaining({ partition: 0, low: "0", high: "1" })]);
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
  });
});
