// npm run bridge -- [--postgres-url <url>] [--kafka-brokers <list>] [--kafka-topic <name>]
//
// Copies the predictions topic into the reference engine's raw table
// (conversion_predictions_raw: the message text and its Kafka timestamp), the path
// Materialize's Kafka source takes, malformed messages included. Exactly once across restarts:
// the consumed offsets are stored with the rows (bridge/store.ts). Exit codes: 0 stopped by
// SIGINT/SIGTERM; 1 could not reach a service, or the consumer crashed; 2 bad configuration.

import { Command } from "commander";
import { pino } from "pino";
import { bridgeConfig, BRIDGE_SETTINGS, type BridgeConfig } from "../config/bridge.ts";
import { parseCommandLine } from "../config/cli.ts";
import { readEnv } from "../config/env.ts";
import { exitOnConfigError } from "../config/errors.ts";
import { redactUrl } from "../config/redact.ts";
import { addOptions, type CliValues } from "../config/settings.ts";
import { describe, retrying, type RetryPolicy } from "../loadgen/retry.ts";
import { startBridge, type RunningBridge } from "./consume.ts";
import { openStore, type OffsetStore } from "./store.ts";

const STATS_INTERVAL_MS = 5_000;

const program = addOptions(new Command("bridge").description("Copies the predictions topic into the reference engine's raw table."), BRIDGE_SETTINGS);
const config = exitOnConfigError(() => bridgeConfig(parseCommandLine<CliValues<typeof BRIDGE_SETTINGS>>(program, process.argv.slice(2)), readEnv()));
const log = pino({ level: config.logLevel, base: { service: "bridge" } }, pino.destination(2));
log.info({ config: { ...config, postgresUrl: redactUrl(config.postgresUrl) } }, "effective configuration");

const retry: RetryPolicy = {
  timeoutMs: config.connectTimeoutSeconds * 1000,
  onRetry: (what, attempt, error, delayMs) => log.warn({ attempt, delayMs, error: describe(error) }, `retrying: ${what}`),
};

let store: OffsetStore | undefined;
let bridge: RunningBridge | undefined;
try {
  store = await retrying(`reach Postgres at ${redactUrl(config.postgresUrl)}`, retry, () => openStore(config.postgresUrl, config.kafkaTopic));
  const opened = store;
  bridge = await retrying(`reach Kafka at ${config.kafkaBrokers.join(",")}`, retry, () => start(opened, config));
} catch (error) {
  const message = `could not start: ${describe(error)}`;
  log.fatal(message);
  process.stderr.write(`bridge: ${message}\n`);
  await store?.close().catch(() => {});
  process.exit(1);
}

const running = bridge;
const stats = setInterval(() => log.info(running.counts, "stored so far"), STATS_INTERVAL_MS);
const stopped = new Promise<string>((resolve) => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve(signal));
});
const outcome = await Promise.race([stopped, running.crashed]);
clearInterval(stats);
if (outcome instanceof Error) {
  log.fatal({ error: describe(outcome) }, "the consumer crashed");
  process.exitCode = 1;
} else {
  log.info({ signal: outcome }, "stopping: finishing the batch in flight");
}
await running.stop().catch((error: unknown) => log.warn({ error: describe(error) }, "kafka disconnect failed"));
await store.close().catch(() => {});
log.info(running.counts, "stopped");

function start(opened: OffsetStore, c: BridgeConfig): Promise<RunningBridge> {
  return startBridge({ brokers: c.kafkaBrokers, topic: c.kafkaTopic, groupId: c.groupId, store: opened, log });
}
