// Sends one JSON prediction per lead to the `conversion_predictions` topic, keyed by lead id
// (none or several under a scenario's prediction_outage / duplicate_predictions incident),
// acknowledged by all in-sync replicas. Each message is checked against the contract before
// it is sent (see prediction-message.ts); then the batch crosses as one buffer
// (message-bundle.ts) to the producer (@platformatic/kafka), which runs on a thread of its own
// (kafka-thread.ts, worker-thread.ts). The client stays behind these modules so it can be
// swapped for another.

import type { SimStep } from "../sim/events.ts";
import { encodePrediction } from "./prediction-message.ts";
import { arrivalsIn, type Sink } from "./sink.ts";
import { retrying, type RetryPolicy } from "../retry.ts";
import type { KafkaThreadData, KafkaThreadRequest } from "./kafka-thread.ts";
import { startThread } from "./worker-thread.ts";
import { bundleMessages, transferablesOf, type MessageBundle } from "./message-bundle.ts";

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
  const data: KafkaThreadData = { brokers: options.brokers, topic: options.topic, clientId: options.clientId };
  const thread = startThread<KafkaThreadRequest>(new URL("./kafka-thread.ts", import.meta.url), data, options.warn);
  try {
    await retrying("reach Kafka and ensure the topic exists", options.retry, () => thread.ask({ op: "ensure-topic" }));
    await retrying("connect the Kafka producer", options.retry, () => thread.ask({ op: "connect" }));
  } catch (error) {
    await thread.stop();
    throw error;
  }
  return {
    name: "kafka",
    write(steps: readonly SimStep[]) {
      // Encode everything first: one invalid message stops the batch before any is sent. Only
      // the bundle's bytes (outside the JavaScript heap) are kept while it is sent, not the
      // steps: an async function would keep its argument until it returns.
      let bundle: MessageBundle | undefined;
      try {
        bundle = bundleOf(steps);
      } catch (error) {
        return Promise.reject(error);
      }
      if (!bundle) return Promise.resolve();
      const encoded = bundle;
      // A retry needs the bundle again: each attempt hands the thread a copy of its own.
      return retrying("send predictions to Kafka", options.retry, () => {
        const copy = { bytes: encoded.bytes.slice(), ends: encoded.ends.slice() };
        return thread.ask({ op: "send", bundle: copy }, transferablesOf(copy));
      });
    },
    async [Symbol.asyncDispose]() {
      await thread.ask({ op: "disconnect" }).catch(() => {});
      await thread.stop();
    },
  };
}

/** The batch's prediction messages, bundled; undefined when it has none. */
function bundleOf(steps: readonly SimStep[]): MessageBundle | undefined {
  const messages: { key: string; value: string }[] = [];
  for (const { prediction, predictionCopies } of arrivalsIn(steps)) {
    const message = { key: String(prediction.lead_id), value: encodePrediction(prediction) };
    for (let copy = 0; copy < (predictionCopies ?? 1); copy++) messages.push(message);
  }
  return messages.length === 0 ? undefined : bundleMessages(messages);
}
