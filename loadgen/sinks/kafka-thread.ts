// The Kafka producer's own thread: kafkajs costs ~20 µs of CPU per message (record encoding,
// buffers, CRC), as much as simulating the lead, so it runs beside the simulation instead of
// taking turns with it. The main thread encodes and checks each message (kafka.ts) and hands
// over ready strings; this thread only talks to the broker. No retrying here: each request is
// answered with success or the error, marked transient or not, and the main thread's
// `retrying` decides (so backoff, logging and the configured timeout stay in one place).

import { parentPort, workerData } from "node:worker_threads";
import { Partitioners } from "kafkajs";
import { ensureTopic, kafkaClient } from "./kafka-client.ts";
import { describe, isTransient } from "../retry.ts";
import type { ThreadData, ThreadReply, ThreadRequest } from "./kafka-thread-protocol.ts";

const data = workerData as ThreadData;
const port = parentPort!;
const warn = (message: string, detail: Record<string, unknown>) => port.postMessage({ kind: "warn", message, detail: cloneable(detail) } satisfies ThreadReply);
// Few retries inside the client: longer outages are ridden out by the main thread's `retrying`.
const producer = kafkaClient({ ...data, warn }, 3).producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });

port.on("message", (request: ThreadRequest) => {
  void handle(request).then(
    () => port.postMessage({ kind: "done", id: request.id } satisfies ThreadReply),
    (error: unknown) => port.postMessage({
      kind: "failed",
      id: request.id,
      error: { name: error instanceof Error ? error.name : "Error", message: describe(error), transient: isTransient(error) },
    } satisfies ThreadReply),
  );
});

async function handle(request: ThreadRequest): Promise<void> {
  switch (request.op) {
    case "ensure-topic":
      // A client that retries nothing itself, so the caller's deadline is the only one.
      return ensureTopic(kafkaClient(data, 0), data.topic);
    case "connect":
      return producer.connect();
    case "send":
      await producer.send({ topic: data.topic, acks: -1, messages: request.messages });
      return;
    case "disconnect":
      return producer.disconnect();
  }
}

/** Log details can hold what a thread cannot pass on (functions, sockets): keep the JSON of them. */
function cloneable(detail: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(detail)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
