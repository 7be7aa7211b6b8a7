// loadgen (fast, fixed seed) → Kafka → bridge → reference views equals loadgen → stdout →
// brute-force oracle; and the bridge, killed and restarted mid-run, stores every message once.

import { randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../bridge/store.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { readAllMessages } from "../helpers/kafka.ts";
import { LOADGEN_PASSWORD } from "../helpers/lab-database.ts";
import { runTool, startTool, type RunningTool } from "../helpers/run-tool.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";
import { expectSameMetrics, metricsAt } from "../sql/support/metrics.ts";
import { oracleMetrics } from "../sql/support/oracle.ts";
import { referenceDatabase, type ReferenceDatabase } from "../sql/support/reference-db.ts";
import { datasetFromEvents } from "./support/stdout-dataset.ts";

const postgres = await usePostgres();
const kafka = await useKafka();

const LEADS = 5_000;
/** Simulated time starts 5 minutes ago, so the generator's ~60 simulated seconds are all within
 *  the 10-minute retention when the views are read, and every Kafka timestamp is after them. */
const START_MS = Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000;
const MALFORMED = ["not json", '{"lead_id": "seven"}', null] as const;

describe.skipIf(!postgres.available || !kafka.available)("the bridge from Kafka into the reference engine", () => {
  const brokers = kafka.available ? kafka.brokers : [];
  const topic = `lab_test_bridge_${randomBytes(4).toString("hex")}`;
  const generatorArgs = ["--mode", "fast", "--profile", "default", "--seed", "bridge-7", "--leads", String(LEADS), "--start", new Date(START_MS).toISOString()];
  const bridges: RunningTool[] = [];
  const admin = new Kafka({ clientId: "lab-test-bridge", brokers, logLevel: logLevel.NOTHING }).admin();
  let db: ReferenceDatabase;

  const startBridge = (groupId: string) => {
    const bridge = startTool("bridge/main.ts", ["--postgres-url", db.url, "--kafka-brokers", brokers.join(","), "--kafka-topic", topic, "--group-id", groupId]);
    bridges.push(bridge);
    return bridge;
  };
  const rawCount = async () => Number((await db.client.query("select count(*) from conversion_predictions_raw")).rows[0].count);

  beforeAll(async () => {
    if (!postgres.available) return;
    db = await referenceDatabase(postgres.adminUrl);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await Promise.all(bridges.map((bridge) => bridge.stop("SIGKILL")));
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await db?.[Symbol.asyncDispose]();
  });

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
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await bridge.stop("SIGTERM"), bridge.stderr()).toBe(0);
    expect(await rawCount()).toBe(before);
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

describe.skipIf(!postgres.available)("the bridge's store on real Postgres", () => {
  it("skips a batch Kafka delivers again after a crash between the insert and the Kafka commit", async () => {
    if (!postgres.available) return;
    await using db = await referenceDatabase(postgres.adminUrl);
    const store = await openStore(db.url, "t");
    try {
      const batch = [0n, 1n, 2n].map((offset) => ({ offset, text: `m${offset}`, receivedAt: new Date(START_MS) }));
      expect(await store.storeBatch(0, batch)).toMatchObject({ stored: 3, skipped: 0, nextOffset: 3n });
      expect(await store.storeBatch(0, [...batch, { offset: 3n, text: "m3", receivedAt: new Date(START_MS) }])).toMatchObject({ stored: 1, skipped: 3, nextOffset: 4n });
      expect(await store.storeBatch(0, [{ offset: 9n, text: "m9", receivedAt: new Date(START_MS) }])).toMatchObject({ gapFrom: 4n, stored: 0 });
      const { rows } = await db.client.query('select "text" from conversion_predictions_raw order by "text"');
      expect(rows.map((r) => r.text)).toEqual(["m0", "m1", "m2", "m3"]);
      expect(await store.readOffsets()).toEqual(new Map([[0, 4n]]));
    } finally {
      await store.close();
    }
  });
});
