// Reads a whole topic back, for assertions on what a producer wrote; names the topics a test
// writes and deletes them afterwards.

import { randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { registerCleanup } from "./cleanup.ts";

/** Every topic a test names starts with this (scripts/leftovers.ts reports any left behind). */
export const TEST_TOPIC_PREFIX = "lab_test_";

/**
 * A fresh topic name for a test, `lab_test_<what>_<random>`, deleted from `brokers` when the test
 * (inside a test) or the file (at collection) is done, whether it passed or not. The topic itself is
 * created by whoever writes it first.
 */
export function testTopic(brokers: string[], what: string): string {
  const topic = `${TEST_TOPIC_PREFIX}${what}_${randomBytes(4).toString("hex")}`;
  // No synchronous way to delete a topic at process exit: scripts/leftovers.ts catches that case.
  registerCleanup(`topic ${topic}`, () => deleteTopics(brokers, [topic]), () => {});
  return topic;
}

/** Deletes the topics that exist among `topics`; the others are ignored. */
export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = new Kafka({ clientId: "lab-test-cleanup", brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  } finally {
    await admin.disconnect();
  }
}

export interface TopicMessage {
  key: string | null;
  value: string;
  /** The broker's timestamp of the message (ms since the epoch). */
  timestampMs: number;
}

export interface ReadAllOptions {
  /** Give up after this long (default 30 s); the error says how far each partition got. */
  timeoutMs?: number;
}

/**
 * Consumes `topic` from the beginning until every partition has reached the high-water mark it
 * had when the call started. Messages come back ordered by partition, then offset.
 */
export async function readAllMessages(
  brokers: string[],
  topic: string,
  opts: ReadAllOptions = {},
): Promise<TopicMessage[]> {
  const { timeoutMs = 30_000 } = opts;
  const kafka = new Kafka({ clientId: "lab-test-reader", brokers, logLevel: logLevel.NOTHING });
  const endOffsets = await highWaterMarks(kafka, topic);
  const pending = new Set([...endOffsets].filter(([, end]) => end.high > end.low).map(([partition]) => partition));
  if (pending.size === 0) return [];

  const seen = new Map<number, Array<{ offset: bigint } & TopicMessage>>();
  const consumer = kafka.consumer({ groupId: `lab-test-reader-${randomBytes(6).toString("hex")}` });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`readAllMessages(${topic}) timed out after ${timeoutMs} ms: ${progress(endOffsets, seen)}`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const offset = BigInt(message.offset);
            const end = endOffsets.get(partition);
            if (!end || offset >= end.high) return;
            const messages = seen.get(partition) ?? [];
            messages.push({
              offset,
              key: message.key?.toString() ?? null,
              value: message.value?.toString() ?? "",
              timestampMs: Number(message.timestamp),
            });
            seen.set(partition, messages);
            if (offset + 1n >= end.high) pending.delete(partition);
            if (pending.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return [...seen.keys()]
    .sort((a, b) => a - b)
    .flatMap((partition) => (seen.get(partition) ?? []).sort((a, b) => (a.offset < b.offset ? -1 : 1)))
    .map(({ key, value, timestampMs }) => ({ key, value, timestampMs }));
}

async function highWaterMarks(kafka: Kafka, topic: string): Promise<Map<number, { low: bigint; high: bigint }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
  } finally {
    await admin.disconnect();
  }
}

function progress(endOffsets: Map<number, { high: bigint }>, seen: Map<number, unknown[]>): string {
  return [...endOffsets]
    .map(([partition, end]) => `partition ${partition}: ${seen.get(partition)?.length ?? 0} read, high-water mark ${end.high}`)
    .join("; ");
}
