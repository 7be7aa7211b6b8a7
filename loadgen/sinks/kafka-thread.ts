// The Kafka producer's own thread. The producer is @platformatic/kafka: it spends about half of
// kafkajs's CPU per message (4.7 µs against 9.1 µs, message building included, measured with
// scripts/bench-kafka-client.ts), and that CPU was the generator's largest cost after the
// simulation itself. It runs beside the simulation instead of taking turns with it. The main
// thread encodes and checks each message (kafka.ts) and hands over ready strings; this thread
// only talks to the broker. No retrying beyond a few quick attempts inside the client: each
// request is answered with success or the error, marked transient or not, and the main
// thread's `retrying` decides (so backoff, logging and the configured timeout stay in one place).
// Topic creation stays with kafkajs's admin (kafka-client.ts), shared with `npm run migrate`.

import { parentPort, workerData } from "node:worker_threads";
import { compatibilityPartitioner, Producer, ProduceAcks, stringSerializers } from "@platformatic/kafka";
import { chunksUnder, isRetriableKafkaError, MAX_REQUEST_BYTES } from "./kafka-requests.ts";
import { ensureTopic, kafkaClient } from "./kafka-client.ts";
import { describe, isTransient } from "../retry.ts";
import type { ThreadData, ThreadReply, ThreadRequest } from "./kafka-thread-protocol.ts";

const data = workerData as ThreadData;
const port = parentPort!;
const warn = (message: string, detail: Record<string, unknown>) => port.postMessage({ kind: "warn", message, detail: cloneable(detail) } satisfies ThreadReply);

const producer = new Producer({
  clientId: data.clientId ?? "lab-loadgen",
  bootstrapBrokers: [...data.brokers],
  serializers: stringSerializers,
  // Acknowledged by all in-sync replicas; keys placed as Java clients (and kafkajs) place them.
  acks: ProduceAcks.ALL,
  partitioner: compatibilityPartitioner,
  connectTimeout: 3_000,
  // Few retries inside the client: longer outages are ridden out by the main thread's `retrying`.
  retries: 3,
  retryDelay: 200,
});
producer.on("client:broker:failed", ({ broker }: BrokerEvent) => warn("kafka client: could not connect to broker", { broker: address(broker) }));
producer.on("client:broker:disconnect", ({ broker }: BrokerEvent) => warn("kafka client: connection to broker closed", { broker: address(broker) }));

port.on("message", (request: ThreadRequest) => {
  void handle(request).then(
    () => port.postMessage({ kind: "done", id: request.id } satisfies ThreadReply),
    (error: unknown) => port.postMessage({
      kind: "failed",
      id: request.id,
      error: { name: error instanceof Error ? error.name : "Error", message: describeKafka(error), transient: isTransient(error) || isRetriableKafkaError(error) },
    } satisfies ThreadReply),
  );
});

async function handle(request: ThreadRequest): Promise<void> {
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
      for (const chunk of chunksUnder(MAX_REQUEST_BYTES, request.messages)) {
        await producer.send({ messages: chunk.map(({ key, value }) => ({ topic: data.topic, key, value })) });
      }
      return;
    case "disconnect":
      return producer.close();
  }
}

interface BrokerEvent { broker?: { host: string; port: number } }

const address = (broker: BrokerEvent["broker"]) => (broker ? `${broker.host}:${broker.port}` : "?");

/** The client wraps what went wrong (one error per attempt): name the innermost causes. */
function describeKafka(error: unknown): string {
  const nested = (error as { errors?: unknown[] }).errors;
  const last = Array.isArray(nested) && nested.length > 0 ? nested[nested.length - 1] : undefined;
  return last === undefined ? describe(error) : `${describe(error)}: ${describeKafka(last)}`;
}

/** Log details can hold what a thread cannot pass on (functions, sockets): keep the JSON of them. */
function cloneable(detail: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(detail)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
