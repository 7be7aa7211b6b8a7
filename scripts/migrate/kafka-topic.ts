// --target kafka: creates the predictions topic if it is absent, so that Materialize's
// Kafka source (which refuses a missing topic) can be created before the first prediction
// is sent. Idempotent; waits (bounded) for the brokers to come up.

import { Kafka, logLevel } from "kafkajs";
import { ensureTopic } from "../../loadgen/sinks/kafka.ts";
import { describe, retrying } from "../../loadgen/retry.ts";
import type { Target } from "./targets.ts";

export const kafkaTopicTarget: Target = {
  description: "the predictions topic in Kafka/Redpanda",
  async run({ config, log }) {
    const where = `topic ${config.kafkaTopic} on ${config.kafkaBrokers.join(",")}`;
    if (config.dryRun) {
      log(`dry run: would create ${where} (1 partition) unless it exists`);
      return;
    }
    const kafka = new Kafka({
      clientId: "lab-migrate",
      brokers: config.kafkaBrokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 0 }, // `retrying` below owns the waiting, so it ends at the configured timeout
    });
    await retrying(`create ${where}`, {
      timeoutMs: config.connectTimeoutSeconds * 1000,
      timeoutSetting: "MIGRATE_CONNECT_TIMEOUT_SECONDS",
      onRetry: (_what, attempt, error) => log(`waiting for Kafka (attempt ${attempt}): ${describe(error)}`),
    }, () => ensureTopic(kafka, config.kafkaTopic));
    log(`${where}: present`);
  },
};
