// The kafkajs client as the lab configures it, and the idempotent topic creation shared by the
// producer thread and the `kafka` migration target.

import { Kafka, logLevel } from "kafkajs";

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId?: string;
  /** Where the client's own warnings go (a broker that went away, a reconnect). */
  warn?: (message: string, detail: Record<string, unknown>) => void;
}

export function kafkaClient(options: KafkaClientOptions, retries: number): Kafka {
  return new Kafka({
    clientId: options.clientId ?? "lab-loadgen",
    brokers: [...options.brokers],
    logLevel: options.warn ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => ({ namespace, log }) => {
      const { message, ...detail } = log;
      options.warn?.(`kafka client: ${String(message)}`, { namespace, ...detail });
    },
    connectionTimeout: 3_000,
    retry: { retries, initialRetryTime: 200, maxRetryTime: 1_000 },
  });
}

/**
 * Creates the topic if it is absent (idempotent; also used by the `kafka` migration target).
 * Give it a client without retries of its own when a caller's `retrying` owns the waiting.
 */
export async function ensureTopic(kafka: Kafka, topic: string, partitions = 1): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
    }
  } finally {
    await admin.disconnect();
  }
}
