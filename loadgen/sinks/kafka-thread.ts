// The Kafka producer's own thread (worker-thread.ts). The producer is @platformatic/kafka: it
// spends about half of kafkajs's CPU per message (4.7 µs against 9.1 µs, message building
// included, measured with scripts/bench-kafka-client.ts), and that CPU was the generator's
// largest cost after the simulation itself. The main thread encodes and checks each message
// (kafka.ts) and hands over ready bytes (message-bundle.ts); this thread only talks to the
// broker. Topic creation stays with kafkajs's admin (kafka-client.ts), shared with
// `npm run migrate`.

import { compatibilityPartitioner, Producer, ProduceAcks } from "@platformatic/kafka";
import { ensureTopic, kafkaClient } from "./kafka-client.ts";
import { chunksUnder, isRetriableKafkaError, MAX_REQUEST_BYTES } from "./kafka-requests.ts";
import { describe, isTransient } from "../retry.ts";
import { serveRequests, threadData, warnMainThread } from "./worker-thread.ts";
import { unbundleMessages, type MessageBundle } from "./message-bundle.ts";

export interface KafkaThreadData {
  brokers: readonly string[];
  topic: string;
  clientId?: string;
}

export type KafkaThreadRequest =
  | { op: "ensure-topic" | "connect" | "disconnect" }
  | { op: "send"; bundle: MessageBundle };

const data = threadData<KafkaThreadData>();
const producer = new Producer({
  clientId: data.clientId ?? "lab-loadgen",
  bootstrapBrokers: [...data.brokers],
  // No serializers: keys and values arrive as bytes (message-bundle.ts).
  // Acknowledged by all in-sync replicas; keys placed as Java clients (and kafkajs) place them.
  acks: ProduceAcks.ALL,
  partitioner: compatibilityPartitioner,
  connectTimeout: 3_000,
  // Few retries inside the client: longer outages are ridden out by the main thread's `retrying`.
  retries: 3,
  retryDelay: 200,
});
producer.on("client:broker:failed", ({ broker }: BrokerEvent) => warnMainThread("kafka client: could not connect to broker", { broker: address(broker) }));
producer.on("client:broker:disconnect", ({ broker }: BrokerEvent) => warnMainThread("kafka client: connection to broker closed", { broker: address(broker) }));

serveRequests<KafkaThreadRequest>(async (request) => {
  switch (request.op) {
    case "ensure-topic":
      // A client that retries nothing itself, so the caller's deadline is the only one.
      return ensureTopic(kafkaClient(data, 0), data.topic);
    case "connect":
      // The producer connects on first use; asking for the topic's metadata proves the broker answers.
      await producer.metadata({ topics: [data.topic] });
      return;
    case "send":
      // In order, a request at a time: each stays below the broker's limit on one record batch.
      for (const chunk of chunksUnder(MAX_REQUEST_BYTES, unbundleMessages(request.bundle))) {
        await producer.send({ messages: chunk.map(({ key, value }) => ({ topic: data.topic, key, value })) });
      }
      return;
    case "disconnect":
      return producer.close();
  }
}, { isTransient: (error) => isTransient(error) || isRetriableKafkaError(error), describe: describeKafka });

interface BrokerEvent { broker?: { host: string; port: number } }

const address = (broker: BrokerEvent["broker"]) => (broker ? `${broker.host}:${broker.port}` : "?");

/** The client wraps what went wrong (one error per attempt): name the innermost causes. */
function describeKafka(error: unknown): string {
  const nested = (error as { errors?: unknown[] }).errors;
  const last = Array.isArray(nested) && nested.length > 0 ? nested[nested.length - 1] : undefined;
  return last === undefined ? describe(error) : `${describe(error)}: ${describeKafka(last)}`;
}
