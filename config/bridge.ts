// The bridge's configuration (bridge/main.ts): where it reads the predictions topic and which
// Postgres database (the reference engine) it writes them to. Validated once at start-up.

import { z } from "zod";
import type { Env } from "./env.ts";
import { brokerList, kafkaTopicName, postgresUrl } from "./schemas.ts";
import { parseSettings, type CliValues, type Parsed } from "./settings.ts";

const positiveInt = z.coerce.number().int("a whole number").positive("a whole number > 0");
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const BRIDGE_SETTINGS = {
  postgresUrl: ["--postgres-url", "BRIDGE_PG_URL", "postgres://lab_bridge:bridge@127.0.0.1:55432/lab", postgresUrl, "the reference engine's database (migrated with --target reference), as the least-privileged role lab_bridge: it may append to the raw predictions table and keep its offsets, nothing else"],
  kafkaBrokers: ["--kafka-brokers", "KAFKA_BROKERS", "127.0.0.1:19092", brokerList, "Kafka API brokers"],
  kafkaTopic: ["--kafka-topic", "KAFKA_TOPIC", "conversion_predictions", kafkaTopicName, "topic the predictions are read from"],
  groupId: ["--group-id", "BRIDGE_GROUP_ID", "lab-bridge", z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "letters, digits, . _ -"), "Kafka consumer group (offsets are kept in Postgres, per topic and partition)"],
  connectTimeoutSeconds: ["--connect-timeout-seconds", "BRIDGE_CONNECT_TIMEOUT_SECONDS", "60", positiveInt, "how long start-up waits for Postgres and Kafka before giving up"],
  logLevel: ["--log-level", "LOG_LEVEL", "info", z.enum(LOG_LEVELS, { message: LOG_LEVELS.join(", ") }), "pino log level (logs go to stderr)"],
} as const;

export type BridgeConfig = Parsed<typeof BRIDGE_SETTINGS>;

/** Env values, with their variable names spelled out so a test can list them. */
function fromEnv(env: Env): CliValues<typeof BRIDGE_SETTINGS> {
  return {
    postgresUrl: env.BRIDGE_PG_URL, kafkaBrokers: env.KAFKA_BROKERS, kafkaTopic: env.KAFKA_TOPIC,
    groupId: env.BRIDGE_GROUP_ID, connectTimeoutSeconds: env.BRIDGE_CONNECT_TIMEOUT_SECONDS, logLevel: env.LOG_LEVEL,
  };
}

/** Throws ConfigError (exit 2) naming the flag or variable. */
export function bridgeConfig(cli: CliValues<typeof BRIDGE_SETTINGS>, env: Env): BridgeConfig {
  return parseSettings(BRIDGE_SETTINGS, cli, fromEnv(env));
}
