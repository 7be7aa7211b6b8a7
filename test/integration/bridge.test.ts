// loadgen (fast, fixed seed) → Kafka → bridge → reference views equals loadgen → stdout →
// brute-force oracle; and the bridge, killed and restarted mid-run, stores every message once.

import { randomBytes } from "node:crypto";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../bridge/store.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { readAllMessages } from "../helpers/kafka.ts";
import { LOADGEN_PASSWORD } from "../helpers/lab-database.ts";
import { runTool, startTool, type RunningTool } from "../helpers/run-tool.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";
import { expectSameMetrics, metricsAt } from "../sql/support/metrics.ts";
import { oracleMetrics } from "../sql/support/oracle.ts";
import { bridgeRoleUrl, referenceDatabase, type ReferenceDatabase } from "../sql/support/reference-db.ts";
import { datasetFromEvents } from "./support/stdout-dataset.ts";

const postgres = await usePostgres();
const kafka = await useKafka();

const LEADS = 5_000;
/** Simulated time starts 5 minutes ago, so the generator's ~60 simulated seconds are all within
 *  the 10-minute retention when the views are read, and every Kafka timestamp is after them. */
const START_MS = Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000;
const MALFORMED = ["not json", '{"lead_id": "seven"}', null] as const;

/**
 * For one describe block: a reference database and a one-partition topic of its own, made before
 * its tests and removed after them with every bridge they started (`onDatabase` receives the
 * database once it exists).
 */
function useBridgeTopic(topicPrefix: string, clientId: string, onDatabase: (db: ReferenceDatabase) => void) {
  const brokers = kafka.available ? kafka.brokers : [];
  const topic = `${topicPrefix}_${randomBytes(4).toString("hex")}`;
  const admin = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING }).admin();
  const bridges: RunningTool[] = [];
  let db: ReferenceDatabase | undefined;
  beforeAll(async () => {
    if (!postgres.available || !kafka.available) return;
    db = await referenceDatabase(postgres.adminUrl);
    onDatabase(db);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await Promise.all(bridges.map((bridge) => bridge.stop("SIGKILL")));
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await db?.[Symbol.asyncDispose]();
  });
  return { brokers, topic, admin, bridges };
}

describe.skipIf(!postgres.available || !kafka.available)("the bridge from Kafka into the reference engine", () => {
  let db: ReferenceDatabase;
  const { brokers, topic, admin, bridges } = useBridgeTopic("lab_test_bridge", "lab-test-bridge", (created) => (db = created));
  const generatorArgs = ["--mode", "fast", "--profile", "default", "--seed", "bridge-7", "--leads", String(LEADS), "--start", new Date(START_MS).toISOString()];

  const startBridge = (groupId: string) => {
    const bridge = startTool("bridge/main.ts", ["--postgres-url", bridgeRoleUrl(db.url), "--kafka-brokers", brokers.join(","), "--kafka-topic", topic, "--group-id", groupId]);
    bridges.push(bridge);
    return bridge;
  };
  const rawCount = async () => Number((await db.client.query("select count(*) from conversion_predictions_raw")).rows[0].count);
  const positions = () => storedAndEndOffsets(db, admin, topic);


  it("stores every message exactly once although it is killed twice mid-run and once forgets Kafka's offsets", async () => {
    const loadgenUrl = new URL(db.url);
    loadgenUrl.username = "lab_loadgen";
    loadgenUrl.password = LOADGEN_PASSWORD;
    let bridge = startBridge("lab-test-bridge-a");
    const generator = runTool("loadgen/main.ts", [...generatorArgs, "--batch-size", "50", "--sink", "postgres,kafka"], {
      env: { POSTGRES_URL: loadgenUrl.toString(), KAFKA_BROKERS: brokers.join(","), KAFKA_TOPIC: topic },
    });
    // Killed without warning while rows arrive: wherever it is (between its insert and its Kafka
    // commit, say), the offsets stored with the rows decide what the next bridge skips.
    await expectEventually(rawCount, (n) => expect(n).toBeGreaterThan(0), { timeoutMs: 60_000, describe: "the first rows" });
    const atFirstKill = await rawCount();
    await bridge.stop("SIGKILL");
    // A new consumer group: Kafka has no committed offset for it and redelivers from offset 0.
    bridge = startBridge("lab-test-bridge-b");
    await expectEventually(rawCount, (n) => expect(n).toBeGreaterThan(LEADS / 2), { timeoutMs: 60_000, describe: "half the rows" });
    const atSecondKill = await rawCount();
    await bridge.stop("SIGKILL");
    console.info(`[bridge test] killed at ${atFirstKill} and ${atSecondKill} rows of ${LEADS}`);
    expect(atFirstKill, "the first kill came while the generator was still sending").toBeLessThan(LEADS);
    bridge = startBridge("lab-test-bridge-a");

    const generated = await generator;
    expect(generated.code, generated.stderr).toBe(0);
    const producer = new Kafka({ clientId: "lab-test-bridge", brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: MALFORMED.map((value) => ({ value })) });
    await producer.disconnect();

    const total = LEADS + MALFORMED.length;
    await expectEventually(rawCount, (n) => expect(n).toBe(total), { timeoutMs: 60_000, describe: `${total} raw rows` });
    expect(await bridge.stop("SIGTERM"), bridge.stderr()).toBe(0);

    const onTopic = await readAllMessages(brokers, topic);
    expect(onTopic).toHaveLength(total);
    const { rows } = await db.client.query<{ text: string | null }>('select "text" from conversion_predictions_raw');
    const leadIds = (texts: Array<string | null>) => texts.flatMap((t) => (t?.startsWith('{"lead_id":') && t.includes("score") ? [JSON.parse(t).lead_id as number] : [])).sort((a, b) => a - b);
    const stored = rows.map((r) => r.text);
    expect(leadIds(stored)).toEqual(Array.from({ length: LEADS }, (_, i) => i + 1));
    expect(leadIds(stored)).toEqual(leadIds(onTopic.map((m) => m.value)));
    expect(stored.filter((t) => t === null)).toHaveLength(1);
    expect(stored).toEqual(expect.arrayContaining(["not json", '{"lead_id": "seven"}']));
  });

  it("stores nothing more when restarted at the end of the topic", async () => {
    const before = await expectEventually(rawCount, (n) => expect(n).toBe(LEADS + MALFORMED.length));
    const bridge = startBridge("lab-test-bridge-a");
    await expectEventually(async () => bridge.stderr(), (text) => expect(text).toContain("consuming from the stored offsets"), { timeoutMs: 30_000 });
    // One message after the restart: once the stored offset reaches the end of the topic, the
    // bridge has read past every older message, and whatever it stored of them is in the table.
    await produce(brokers, topic, ["after the restart"]);
    await expectEventually(positions, ({ stored, end }) => expect(stored).toBe(end), { timeoutMs: 30_000, describe: "the stored offset at the end of the topic" });
    expect(await bridge.stop("SIGTERM"), bridge.stderr()).toBe(0);
    expect(await rawCount()).toBe(before + 1);
    const { rows } = await db.client.query(`select count(*)::int as n from conversion_predictions_raw where "text" = 'after the restart'`);
    expect(rows[0].n).toBe(1);
  });

  it("gives classifier_metrics equal to the brute-force oracle over the generator's stdout for the same seed", async () => {
    const printed = await runTool("loadgen/main.ts", [...generatorArgs, "--sink", "stdout"]);
    expect(printed.code, printed.stderr).toBe(0);
    const nowMs = Math.floor(Date.now() / 1000) * 1000;
    const actual = await metricsAt(db.client, nowMs);
    const expected = oracleMetrics(datasetFromEvents(printed.stdout), nowMs);
    expect(expected.filter((row) => row.experiment_bucket !== "unknown").length).toBeGreaterThan(100);
    expectSameMetrics(actual, expected, `classifier_metrics at ${new Date(nowMs).toISOString()}`);
  }, 600_000); // the reference engine computes every visible window of 5,000 leads on read
});

describe.skipIf(!postgres.available || !kafka.available)("the bridge on a topic a transactional producer writes to", () => {
  let db: ReferenceDatabase;
  const { brokers, topic, admin, bridges } = useBridgeTopic("lab_test_bridge_txn", "lab-test-bridge-txn", (created) => (db = created));


  it("stores every message once and comes to rest at the end of the topic although commit markers take offsets between them", async () => {
    const texts = async () => (await db.client.query<{ text: string }>('select "text" from conversion_predictions_raw')).rows.map((r) => r.text).sort();
    await produce(brokers, topic, ["plain 1", "plain 2"]);
    await produceInTransaction(brokers, topic, ["txn 1", "txn 2", "txn 3"]);
    const bridge = startTool("bridge/main.ts", ["--postgres-url", bridgeRoleUrl(db.url), "--kafka-brokers", brokers.join(","), "--kafka-topic", topic, "--group-id", "lab-test-bridge-txn"]);
    bridges.push(bridge);
    // Stored up to the commit marker, the bridge then sees the next batch begin after it.
    await expectEventually(texts, (seen) => expect(seen).toHaveLength(5), { timeoutMs: 30_000, describe: "the first five messages stored" });
    await produceInTransaction(brokers, topic, ["txn 4", "txn 5"]);
    await produce(brokers, topic, ["plain 3"]);

    const atEnd = await expectEventually(() => storedAndEndOffsets(db, admin, topic), ({ stored, end }) => expect(stored).toBe(end), { timeoutMs: 30_000, describe: "the stored offset at the end of the topic (2 commit markers included)" });
    expect(atEnd.end, "8 messages and 2 commit markers").toBe(10);
    expect(await texts()).toEqual(["plain 1", "plain 2", "plain 3", "txn 1", "txn 2", "txn 3", "txn 4", "txn 5"]);
    const seeksBack = bridge.stderr().split("\n").filter((line) => line.includes("seeking back to the stored offset")).length;
    expect(seeksBack, `a bridge that keeps seeking back loops:\n${bridge.stderr().slice(-2000)}`).toBeLessThanOrEqual(2);
    expect(await bridge.stop("SIGTERM"), bridge.stderr()).toBe(0);
  });
});

describe.skipIf(!postgres.available)("the bridge's store on real Postgres", () => {
  it("skips a batch Kafka delivers again after a crash between the insert and the Kafka commit", async () => {
    if (!postgres.available) return;
    await using db = await referenceDatabase(postgres.adminUrl);
    const store = await openStore(db.url, "t");
    try {
      const at = (offset: bigint) => ({ offset, text: `m${offset}`, receivedAt: new Date(START_MS) });
      const fetched = (firstOffset: bigint, nextOffset: bigint, offsets: bigint[]) => ({ firstOffset, nextOffset, messages: offsets.map(at) });
      expect(await store.storeBatch(0, fetched(0n, 3n, [0n, 1n, 2n]))).toMatchObject({ stored: 3, skipped: 0, nextOffset: 3n });
      expect(await store.storeBatch(0, fetched(0n, 4n, [0n, 1n, 2n, 3n]))).toMatchObject({ stored: 1, skipped: 3, nextOffset: 4n });
      expect(await store.storeBatch(0, fetched(9n, 10n, [9n]))).toMatchObject({ gapFrom: 4n, stored: 0 });
      const { rows } = await db.client.query('select "text" from conversion_predictions_raw order by "text"');
      expect(rows.map((r) => r.text)).toEqual(["m0", "m1", "m2", "m3"]);
      expect(await store.readOffsets()).toEqual(new Map([[0, 4n]]));
    } finally {
      await store.close();
    }
  });

  it("steps over the offset slots of transaction commit markers, which are never delivered as messages", async () => {
    if (!postgres.available) return;
    await using db = await referenceDatabase(postgres.adminUrl);
    const store = await openStore(db.url, "t");
    try {
      const at = (offset: bigint) => ({ offset, text: `m${offset}`, receivedAt: new Date(START_MS) });
      // Messages 0-2 and a commit marker at 3: the batch covers four slots.
      expect(await store.storeBatch(0, { firstOffset: 0n, nextOffset: 4n, messages: [0n, 1n, 2n].map(at) })).toMatchObject({ stored: 3, nextOffset: 4n });
      // A marker at 4 fetched with messages 5-6: the fetch began at the stored position, no gap.
      expect(await store.storeBatch(0, { firstOffset: 4n, nextOffset: 7n, messages: [5n, 6n].map(at) })).toMatchObject({ stored: 2, nextOffset: 7n });
      // Every message already stored, a marker after them: the position still moves past it.
      expect(await store.storeBatch(0, { firstOffset: 5n, nextOffset: 8n, messages: [5n, 6n].map(at) })).toMatchObject({ stored: 0, skipped: 2, nextOffset: 8n });
      const { rows } = await db.client.query('select "text" from conversion_predictions_raw order by "text"');
      expect(rows.map((r) => r.text)).toEqual(["m0", "m1", "m2", "m5", "m6"]);
      expect(await store.readOffsets()).toEqual(new Map([[0, 8n]]));
    } finally {
      await store.close();
    }
  });
});

async function produce(brokers: string[], topic: string, values: string[]): Promise<void> {
  const producer = new Kafka({ clientId: "lab-test-bridge", brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

/** Sends `values` in one committed transaction: Kafka writes a commit marker after them. */
async function produceInTransaction(brokers: string[], topic: string, values: string[]): Promise<void> {
  const producer = new Kafka({ clientId: "lab-test-bridge", brokers, logLevel: logLevel.NOTHING })
    .producer({ transactionalId: `${topic}-producer`, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: values.map((value) => ({ value })) });
    await transaction.commit();
  } finally {
    await producer.disconnect();
  }
}

/** The bridge's stored next offset of partition 0 (null before it stored one) and the topic's high watermark. */
async function storedAndEndOffsets(db: ReferenceDatabase, admin: Admin, topic: string): Promise<{ stored: number | null; end: number }> {
  const [partition] = await admin.fetchTopicOffsets(topic);
  const { rows } = await db.client.query<{ next_offset: string }>(
    "select next_offset from lab_bridge.consumed_offsets where topic = $1 and partition = 0", [topic]).catch(() => ({ rows: [] }));
  return { stored: rows[0] ? Number(rows[0].next_offset) : null, end: Number(partition?.high ?? -1) };
}
