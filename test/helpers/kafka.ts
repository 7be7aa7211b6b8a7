// Reads a whole topic back, for assertions on what a producer wrote.

import { randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";

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
