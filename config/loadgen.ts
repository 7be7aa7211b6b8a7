// The load generator's configuration: one table of settings, each with its CLI flag, its
// environment variable, its default and what it allows. CLI flags win over env, env over
// defaults. Validated once at start-up; a bad value is a ConfigError (exit code 2).

import { z } from "zod";
import { ConfigError, configErrorFromZod } from "./errors.ts";
import { brokerList, decimalNumber, given, kafkaTopicName, postgresUrl, wholeNumber } from "./schemas.ts";
import type { Env } from "./env.ts";

const SINKS = ["postgres", "kafka", "stdout"] as const;
export type SinkName = (typeof SINKS)[number];

const positiveInt = wholeNumber(1);
const share = decimalNumber(0, 1);

const sinkList = z
  .string()
  .transform((text) => text.split(",").map((s) => s.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.enum(SINKS, { message: `a comma-separated list of ${SINKS.join(", ")}` }))
      .min(1, "at least one sink")
      .refine((s) => !s.includes("stdout") || s.length === 1, "stdout alone, or postgres and/or kafka"),
  );

const isoInstant = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(Date.parse(s)), "an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z")
  .transform((s) => Date.parse(s));


/** Every setting: [flag, env var, default (as text, like the user would type it), schema, help]. */
export const LOADGEN_SETTINGS = {
  mode: ["--mode", "LOADGEN_MODE", "live", z.enum(["live", "fast"], { message: "live or fast" }), "live: wall clock, Poisson arrivals at --rate; fast: simulated clock, as fast as the sinks allow"],
  profile: ["--profile", "LOADGEN_PROFILE", "default", z.enum(["default", "aispy"], { message: "default or aispy" }), "default: the lab's richer model; aispy: the seed post's generator, exactly"],
  seed: ["--seed", "LOADGEN_SEED", "42", z.string().min(1, "a non-empty string"), "run seed: the same seed gives the same leads, scores, buckets, coupons and conversions"],
  leads: ["--leads", "LOADGEN_LEADS", "", positiveInt.optional(), "stop after this many leads (fast mode default: 10000; live mode: run until stopped)"],
  durationSeconds: ["--duration-seconds", "LOADGEN_DURATION_SECONDS", "", positiveInt.optional(), "live mode: stop after this many seconds"],
  rate: ["--rate", "LOADGEN_RATE", "80", decimalNumber(0, 100_000, { exclusiveMin: true }), "mean arrivals per second (Poisson); the seed post ran about 80"],
  sink: ["--sink", "LOADGEN_SINK", "postgres,kafka", sinkList, "where events go: postgres, or postgres,kafka, or stdout (one JSON line per event); kafka alone is refused (exit 2): only Postgres records where a run stopped"],
  start: ["--start", "LOADGEN_START", "2026-01-01T00:00:00Z", isoInstant, "fast mode: the simulated clock's first instant"],
  scenario: ["--scenario", "LOADGEN_SCENARIO", "steady", z.string().min(1, "a scenario name or file"), "a built-in scenario (--list-scenarios) or a YAML file: incidents on a timeline from the run's start (loadgen/scenarios/README.md)"],
  controlShare: ["--control-share", "LOADGEN_CONTROL_SHARE", "", share.optional(), "profile default: share of leads held out in the control bucket (0.2)"],
  threshold: ["--threshold", "LOADGEN_THRESHOLD", "", share.optional(), "profile default: score at or above which the model predicts a conversion (0.5)"],
  couponUplift: ["--coupon-uplift", "LOADGEN_COUPON_UPLIFT", "", share.optional(), "profile default: share of a lead's remaining non-conversion chance a coupon turns into a conversion"],
  batchSize: ["--batch-size", "LOADGEN_BATCH_SIZE", "1000", wholeNumber(1, 10_000), "fast mode: leads written per batch"],
  postgresUrl: ["--postgres-url", "POSTGRES_URL", "postgres://lab_loadgen:loadgen@127.0.0.1:5432/lab", postgresUrl, "Postgres, as the least-privileged lab_loadgen role"],
  kafkaBrokers: ["--kafka-brokers", "KAFKA_BROKERS", "127.0.0.1:19092", brokerList, "Kafka API brokers (Redpanda in compose)"],
  kafkaTopic: ["--kafka-topic", "KAFKA_TOPIC", "conversion_predictions", kafkaTopicName, "topic for prediction events (created if absent)"],
  connectTimeoutSeconds: ["--connect-timeout-seconds", "LOADGEN_CONNECT_TIMEOUT_SECONDS", "60", positiveInt, "how long start-up waits for Postgres and Kafka before giving up"],
  statsIntervalSeconds: ["--stats-interval-seconds", "LOADGEN_STATS_INTERVAL_SECONDS", "5", positiveInt, "how often throughput and pending conversions are logged"],
  logLevel: ["--log-level", "LOG_LEVEL", "info", z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { message: "fatal, error, warn, info, debug, trace or silent" }), "pino log level (logs go to stderr)"],
} as const;

type Settings = typeof LOADGEN_SETTINGS;
type Key = keyof Settings;
export type LoadgenConfig = Readonly<{ [K in Key]: z.output<Settings[K][3]> }> & { leads: number | undefined };

/** Env values, with their variable names spelled out so a test can list them. */
function fromEnv(env: Env): Partial<Record<Key, string>> {
  return {
    mode: env.LOADGEN_MODE, profile: env.LOADGEN_PROFILE, seed: env.LOADGEN_SEED, leads: env.LOADGEN_LEADS,
    durationSeconds: env.LOADGEN_DURATION_SECONDS, rate: env.LOADGEN_RATE, sink: env.LOADGEN_SINK,
    start: env.LOADGEN_START, scenario: env.LOADGEN_SCENARIO, controlShare: env.LOADGEN_CONTROL_SHARE, threshold: env.LOADGEN_THRESHOLD,
    couponUplift: env.LOADGEN_COUPON_UPLIFT, batchSize: env.LOADGEN_BATCH_SIZE, postgresUrl: env.POSTGRES_URL,
    kafkaBrokers: env.KAFKA_BROKERS, kafkaTopic: env.KAFKA_TOPIC, connectTimeoutSeconds: env.LOADGEN_CONNECT_TIMEOUT_SECONDS,
    statsIntervalSeconds: env.LOADGEN_STATS_INTERVAL_SECONDS, logLevel: env.LOG_LEVEL,
  };
}

/** Builds the config from parsed CLI options (strings) and the environment. Throws ConfigError. */
export function loadgenConfig(cli: Partial<Record<Key, string>>, env: Env): LoadgenConfig {
  const envValues = fromEnv(env);
  const input: Record<string, string | undefined> = {};
  const sourceOf = (key: string): string => {
    const [flag, envName] = LOADGEN_SETTINGS[key as Key];
    return given(cli[key as Key]) !== undefined ? flag : given(envValues[key as Key]) !== undefined ? envName : flag;
  };
  for (const key of Object.keys(LOADGEN_SETTINGS) as Key[]) {
    input[key] = given(cli[key]) ?? given(envValues[key]) ?? given(LOADGEN_SETTINGS[key][2]);
  }
  const shape = Object.fromEntries(Object.entries(LOADGEN_SETTINGS).map(([k, s]) => [k, s[3]]));
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) throw configErrorFromZod(parsed.error, input, sourceOf);
  const config = parsed.data as LoadgenConfig;
  checkCombinations(config, sourceOf);
  const leads = config.leads ?? (config.mode === "fast" ? 10_000 : undefined);
  return Object.freeze({ ...config, leads });
}

function checkCombinations(config: LoadgenConfig, sourceOf: (key: string) => string): void {
  if (config.profile === "aispy") {
    for (const key of ["controlShare", "threshold", "couponUplift"] as const) {
      if (config[key] !== undefined) {
        throw new ConfigError(sourceOf(key), config[key], "nothing with --profile aispy (the seed's generator fixes it); use --profile default");
      }
    }
  }
  if (config.sink.length === 1 && config.sink[0] === "kafka") {
    // Where a run stopped is read from Postgres (max lead id, pending conversions); Kafka alone
    // would start again at lead 1 and re-send old ids with new times.
    throw new ConfigError(
      sourceOf("sink"),
      "kafka",
      "kafka only together with postgres (--sink postgres,kafka, the default: Postgres records where a run stopped; " +
        "kafka alone would restart at lead 1 and re-send old lead ids with new times), or --sink stdout to see the events",
    );
  }
  if (config.mode === "fast" && config.durationSeconds !== undefined) {
    throw new ConfigError(sourceOf("durationSeconds"), config.durationSeconds, "nothing in fast mode; use --leads");
  }
}
