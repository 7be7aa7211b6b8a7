// Sends one JSON prediction per lead to the `conversion_predictions` topic, keyed by lead id
// (none or several under a scenario's prediction_outage / duplicate_predictions incident),
// acknowledged by all in-sync replicas. Each message is checked against the contract before
// it is sent (see prediction-message.ts). The producer (@platformatic/kafka) runs on a thread of its own
// (kafka-thread.ts) so its CPU cost overlaps the simulation's; the client stays behind these
// modules so it can be swapped for another.

import { Worker } from "node:worker_threads";
import type { SimStep } from "../sim/events.ts";
import { encodePrediction } from "./prediction-message.ts";
import { arrivalsIn, type Sink } from "./sink.ts";
import { retrying, type RetryPolicy } from "../retry.ts";
import type { ThreadData, ThreadReply, ThreadRequest } from "./kafka-thread-protocol.ts";

export { ensureTopic } from "./kafka-client.ts";

export interface KafkaSinkOptions {
  brokers: readonly string[];
  topic: string;
  retry: RetryPolicy;
  clientId?: string;
  /** Where the client's own warnings go (a broker that went away, a reconnect). */
  warn?: (message: string, detail: Record<string, unknown>) => void;
}

export async function kafkaSink(options: KafkaSinkOptions): Promise<Sink> {
  const thread = producerThread({ brokers: options.brokers, topic: options.topic, clientId: options.clientId }, options.warn);
  try {
    await retrying("reach Kafka and ensure the topic exists", options.retry, () => thread.ask({ op: "ensure-topic" }));
    await retrying("connect the Kafka producer", options.retry, () => thread.ask({ op: "connect" }));
  } catch (error) {
    await thread.stop();
    throw error;
  }
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
      await retrying("send predictions to Kafka", options.retry, () => thread.ask({ op: "send", messages }));
    },
    async [Symbol.asyncDispose]() {
      await thread.ask({ op: "disconnect" }).catch(() => {});
      await thread.stop();
    },
  };
}

type Request = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** Starts the producer thread; `ask` resolves when the thread has done the request, or rejects with its error. */
function producerThread(data: ThreadData, warn: KafkaSinkOptions["warn"]) {
  const worker = startTypeScriptWorker(new URL("./kafka-thread.ts", import.meta.url), data);
  const waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let nextId = 1;
  let gone: Error | undefined;
  const failAll = (error: Error) => {
    gone ??= error;
    for (const { reject } of waiting.values()) reject(gone);
    waiting.clear();
  };
  worker.on("message", (reply: ThreadReply) => {
    if (reply.kind === "warn") return warn?.(reply.message, reply.detail);
    const request = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.kind === "done") request?.resolve();
    // `retriable` carries the thread's judgement to isTransient (retry.ts).
    else request?.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, retriable: reply.error.transient }));
  });
  worker.on("error", (error) => failAll(new Error(`the Kafka producer thread failed: ${error.message}`)));
  worker.on("exit", (code) => failAll(new Error(`the Kafka producer thread exited (${code})`)));
  return {
    ask(request: Request): Promise<void> {
      if (gone) return Promise.reject(gone);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...request, id } as ThreadRequest);
      });
    },
    async stop(): Promise<void> {
      await worker.terminate();
    },
  };
}

/**
 * A worker thread running a TypeScript module. Node does not apply the `--import tsx` hooks to
 * a worker's entry file, so a one-line bootstrap registers tsx in the thread, then imports it.
 */
function startTypeScriptWorker(entry: URL, data: unknown): Worker {
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
