// The bridge's Kafka side: a consumer that hands each fetched batch to the store and only then
// tells Kafka how far it got. On joining the group it seeks every partition to the position
// stored in Postgres, which wins over Kafka's committed offset (that one may lag behind after a
// crash, or run ahead of a database that was recreated).

import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload } from "kafkajs";
import { messageText, type OffsetStore, type RawMessage } from "./store.ts";

/** A bridge that died without leaving its group (SIGKILL) holds its partition this long: the next
 *  one waits for that before it gets any message. kafkajs's default is 30 s; the broker's
 *  minimum, 6 s. Heartbeats (every 3 s) keep a live bridge well inside it. */
const SESSION_TIMEOUT_MS = 10_000;

export interface BridgeOptions {
  brokers: readonly string[];
  topic: string;
  groupId: string;
  store: OffsetStore;
  log: {
    info: (detail: object, message: string) => void;
    warn: (detail: object, message: string) => void;
  };
}

export interface RunningBridge {
  consumer: Consumer;
  /** Messages stored and skipped (already stored) since start. */
  counts: { stored: number; skipped: number };
  /** Resolves when the consumer stops for good (after a crash it will not recover from). */
  crashed: Promise<Error>;
  stop(): Promise<void>;
}

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const kafka = new Kafka({
    clientId: "lab-bridge",
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, log }) => {
      const { message, ...detail } = log;
      options.log.warn({ namespace, ...detail }, `kafka client: ${String(message)}`);
    },
    connectionTimeout: 3_000,
  });
  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false, sessionTimeout: SESSION_TIMEOUT_MS });
  const admin = kafka.admin();
  const counts = { stored: 0, skipped: 0 };
  const crashed = new Promise<Error>((resolve) => {
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) resolve(payload.error);
    });
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    void seekToStoredOffsets(consumer, options, payload.memberAssignment[options.topic] ?? []);
  });
  await admin.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: (payload) => storeBatch(payload, { ...options, consumer, admin }, counts),
  });
  const stop = async () => {
    await consumer.disconnect();
    await admin.disconnect();
  };
  return { consumer, counts, crashed, stop };
}

type BatchContext = BridgeOptions & { consumer: Consumer; admin: Admin };

async function storeBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }: EachBatchPayload,
  options: BatchContext, counts: { stored: number; skipped: number }): Promise<void> {
  if (!isRunning() || isStale() || batch.messages.length === 0) return;
  const messages: RawMessage[] = batch.messages.map((m) => ({
    offset: BigInt(m.offset),
    text: messageText(m.value),
    receivedAt: new Date(Number(m.timestamp)),
  }));
  // The batch's own bounds, not its messages': a transaction's commit marker takes an offset slot
  // that is never delivered, and a position derived from messages would stop short of it.
  const fetched = { firstOffset: BigInt(batch.firstOffset() ?? messages[0]!.offset), nextOffset: BigInt(batch.lastOffset()) + 1n, messages };
  let result = await options.store.storeBatch(batch.partition, fetched);
  if (result.gapFrom !== undefined) {
    // Kafka's committed offset ran ahead of Postgres (a recreated database): go back, unless
    // the messages in between are gone (deleted by retention).
    const low = await lowWatermark(options.admin, batch.topic, batch.partition);
    if (result.gapFrom >= low) {
      options.log.info({ partition: batch.partition, from: batch.firstOffset(), to: result.gapFrom.toString() }, "seeking back to the stored offset");
      options.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: result.gapFrom.toString() });
      return;
    }
    options.log.warn({ partition: batch.partition, storedNext: result.gapFrom.toString(), lowWatermark: low.toString() }, "messages deleted by retention were never stored");
    result = await options.store.storeBatch(batch.partition, fetched, true);
  }
  counts.stored += result.stored;
  counts.skipped += result.skipped;
  // Only now is Kafka told: its committed offset never runs ahead of what Postgres holds.
  resolveOffset(batch.lastOffset());
  await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: result.nextOffset.toString() }] }] });
  await heartbeat();
}

async function seekToStoredOffsets(consumer: Consumer, options: BridgeOptions, partitions: readonly number[]): Promise<void> {
  const stored = await options.store.readOffsets();
  for (const partition of partitions) {
    const offset = stored.get(partition);
    if (offset === undefined) continue; // never stored: Kafka's committed offset, or the beginning
    consumer.seek({ topic: options.topic, partition, offset: offset.toString() });
  }
  options.log.info({ topic: options.topic, partitions, storedOffsets: Object.fromEntries([...stored].map(([p, o]) => [p, o.toString()])) }, "consuming from the stored offsets");
}

async function lowWatermark(admin: Admin, topic: string, partition: number): Promise<bigint> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return BigInt(offsets.find((o) => o.partition === partition)?.low ?? "0");
}
