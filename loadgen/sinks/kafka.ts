// Sends one JSON prediction per lead to the `conversion_predictions` topic, keyed by lead id
// (none or several under a scenario's prediction_outage / duplicate_predictions incident),
// acknowledged by all in-sync replicas. Each message is checked against the contract before
// it is sent (see prediction-message.ts). The kafkajs client stays behind this one module so
// it can be swapped for another client.

import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import type { SimStep } from "../sim/events.ts";
import { encodePrediction } from "./prediction-message.ts";
import { arrivalsIn, type Sink } from "./sink.ts";
import { retrying, type RetryPolicy } from "../retry.ts";

export interface KafkaSinkOptions {
  brokers: readonly string[];
  topic: string;
  retry: RetryPolicy;
  clientId?: string;
  /** Where the client's own warnings go (a broker that went away, a reconnect). */
  warn?: (message: string, detail: Record<string, unknown>) => void;
}

export async function kafkaSink(options: KafkaSinkOptions): Promise<Sink> {
  // Few retries inside the client: longer outages are ridden out by `retrying` around each
  // call, which logs and honours the configured connect timeout. The start-up probe retries
  // nothing itself, so `retrying` gives up at its deadline, not a client back-off later.
  const kafka = kafkaClient(options, 3);
  await retrying("reach Kafka and ensure the topic exists", options.retry, () => ensureTopic(kafkaClient(options, 0), options.topic));
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await retrying("connect the Kafka producer", options.retry, () => producer.connect());
  return {
    name: "kafka",
    async write(steps: readonly SimStep[]) {
      // Encode everything first: one invalid message stops the batch before any is sent.
      const plans = arrivalsIn(steps);
      if (plans.length === 0) return;
      const messages = plans.flatMap(({ prediction, predictionCopies }) => {
        const message = { key: String(prediction.lead_id), value: encodePrediction(prediction) };
        return Array.from({ length: predictionCopies ?? 1 }, () => message);
      });
      if (messages.length === 0) return;
      await retrying("send predictions to Kafka", options.retry, () =>
        producer.send({ topic: options.topic, acks: -1, messages }),
      );
    },
    async [Symbol.asyncDispose]() {
      await producer.disconnect().catch(() => {});
    },
  };
}

function kafkaClient(options: KafkaSinkOptions, retries: number): Kafka {
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
