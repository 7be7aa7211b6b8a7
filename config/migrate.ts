// The migration command's configuration: one table of settings, each with its CLI flag (if
// any), its environment variable, its default and what it allows. CLI flags win over env,
// env over defaults. Validated once at start-up; a bad value is a ConfigError (exit code 2)
// that names the flag or variable to fix.
//
// Values that differ per deployment (hosts, users, passwords, the topic, Kafka security)
// reach the SQL files as psql-style variables; see `sqlVariablesOf` in scripts/migrate/targets.ts.

import { z } from "zod";
import { ConfigError, configErrorFromZod } from "./errors.ts";
import { brokerList, given, hostPort, kafkaTopicName, portNumber, postgresUrl, wholeNumber } from "./schemas.ts";
import type { Env } from "./env.ts";

export const TARGET_NAMES = ["postgres", "reference", "materialize", "kafka"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

const KAFKA_PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] as const;
const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;
const PG_SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;

const nonEmpty = z.string().min(1, "a non-empty string");
const hostName = z.string().regex(/^[A-Za-z0-9._-]+$/, "a host name or IP address");
const sqlName = z.string().regex(/^[a-z_][a-z0-9_]*$/, "a lowercase SQL name (letters, digits, _)");
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: values.join(", ") });

/** Every setting: [flag or "", env var, default (as text), schema, help]. */
export const MIGRATE_SETTINGS = {
  target: ["--target", "MIGRATE_TARGET", "", oneOf(TARGET_NAMES), "postgres: the lab's tables, publication and roles; reference: those plus the portable views on plain Postgres; materialize: connections, sources and views in Materialize; kafka: the predictions topic"],
  url: ["--url", "", "", postgresUrl.optional(), "where to apply the migrations (default: MIGRATE_PG_URL or MIGRATE_MZ_URL, by target)"],
  pgUrl: ["", "MIGRATE_PG_URL", "", postgresUrl.optional(), "--target postgres/reference: a superuser URL of the lab's Postgres database"],
  mzUrl: ["", "MIGRATE_MZ_URL", "postgres://materialize@127.0.0.1:6875/materialize", postgresUrl, "--target materialize: Materialize's SQL URL"],
  loadgenPgPassword: ["", "LOADGEN_PG_PASSWORD", "loadgen", nonEmpty, "password set for the Postgres role lab_loadgen (local default; set a real one elsewhere)"],
  materializePgPassword: ["", "MATERIALIZE_PG_PASSWORD", "materialize", nonEmpty, "password set for the Postgres role materialize (Materialize's replication user)"],
  bridgePgPassword: ["", "BRIDGE_PG_PASSWORD", "bridge", nonEmpty, "--target reference: password set for the Postgres role lab_bridge (the bridge; local default)"],
  mzCluster: ["", "MZ_CLUSTER", "quickstart", sqlName, "Materialize cluster that runs the sources, the materialized view and its index"],
  mzPgHost: ["", "MZ_PG_HOST", "postgres", hostName, "Postgres host as Materialize reaches it (compose service name locally)"],
  mzPgPort: ["", "MZ_PG_PORT", "5432", portNumber, "Postgres port as Materialize reaches it"],
  mzPgDatabase: ["", "MZ_PG_DATABASE", "lab", nonEmpty, "Postgres database that holds leads and coupons"],
  mzPgUser: ["", "MZ_PG_USER", "materialize", nonEmpty, "Postgres user Materialize replicates as (REPLICATION + SELECT)"],
  mzPgPassword: ["", "MZ_PG_PASSWORD", "", nonEmpty.optional(), "its password (default: MATERIALIZE_PG_PASSWORD)"],
  mzPgSslMode: ["", "MZ_PG_SSL_MODE", "disable", oneOf(PG_SSL_MODES), "TLS from Materialize to Postgres"],
  mzPgSlotCleanupUrl: ["", "MZ_PG_SLOT_CLEANUP_URL", "", z.union([z.literal("none"), postgresUrl]).optional(), "where the migration drops stale inactive materialize% replication slots before creating the source (default: built from MZ_PG_*; `none` skips the cleanup)"],
  mzKafkaBroker: ["", "MZ_KAFKA_BROKER", "redpanda:9092", hostPort, "Kafka broker as Materialize reaches it"],
  mzKafkaSecurityProtocol: ["", "MZ_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", oneOf(KAFKA_PROTOCOLS), "Kafka security protocol (Materialize's own default is SSL)"],
  mzKafkaSaslMechanism: ["", "MZ_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256", oneOf(SASL_MECHANISMS), "with SASL_*: the SASL mechanism"],
  mzKafkaSaslUsername: ["", "MZ_KAFKA_SASL_USERNAME", "", nonEmpty.optional(), "with SASL_*: the Kafka user"],
  mzKafkaSaslPassword: ["", "MZ_KAFKA_SASL_PASSWORD", "", nonEmpty.optional(), "with SASL_*: its password (stored in a Materialize secret)"],
  connectTimeoutSeconds: ["", "MIGRATE_CONNECT_TIMEOUT_SECONDS", "60", wholeNumber(1, 3_600), "--target kafka: how long to wait for the brokers"],
  kafkaBrokers: ["", "KAFKA_BROKERS", "127.0.0.1:19092", brokerList, "--target kafka: the brokers on which to create the topic (as this command reaches them)"],
  kafkaTopic: ["", "KAFKA_TOPIC", "conversion_predictions", kafkaTopicName, "topic the predictions are read from"],
} as const;

type Settings = typeof MIGRATE_SETTINGS;
type Key = keyof Settings;
type Parsed = { [K in Key]: z.output<Settings[K][3]> };

export interface MigrateConfig {
  target: TargetName;
  /** Where the statements run (for --target kafka: the brokers, for messages only). */
  url: string;
  dryRun: boolean;
  loadgenPgPassword: string;
  materializePgPassword: string;
  bridgePgPassword: string;
  mzCluster: string;
  mzPgHost: string;
  mzPgPort: number;
  mzPgDatabase: string;
  mzPgUser: string;
  mzPgPassword: string;
  mzPgSslMode: (typeof PG_SSL_MODES)[number];
  /** undefined: no slot cleanup. */
  mzPgSlotCleanupUrl: string | undefined;
  mzKafkaBroker: string;
  mzKafkaSecurityProtocol: (typeof KAFKA_PROTOCOLS)[number];
  /** Present exactly when the protocol is SASL_PLAINTEXT or SASL_SSL. */
  mzKafkaSasl: { mechanism: string; username: string; password: string } | undefined;
  kafkaTopic: string;
  /** --target kafka: where the topic is created. */
  kafkaBrokers: string[];
  connectTimeoutSeconds: number;
}

export interface MigrateCliOptions {
  target?: string;
  url?: string;
  dryRun?: boolean;
}

/** Env values, with their variable names spelled out so a test can list them. */
function fromEnv(env: Env): Partial<Record<Key, string>> {
  return {
    target: env.MIGRATE_TARGET, pgUrl: env.MIGRATE_PG_URL, mzUrl: env.MIGRATE_MZ_URL,
    loadgenPgPassword: env.LOADGEN_PG_PASSWORD, materializePgPassword: env.MATERIALIZE_PG_PASSWORD,
    bridgePgPassword: env.BRIDGE_PG_PASSWORD,
    mzCluster: env.MZ_CLUSTER, mzPgHost: env.MZ_PG_HOST, mzPgPort: env.MZ_PG_PORT,
    mzPgDatabase: env.MZ_PG_DATABASE, mzPgUser: env.MZ_PG_USER, mzPgPassword: env.MZ_PG_PASSWORD,
    mzPgSslMode: env.MZ_PG_SSL_MODE, mzPgSlotCleanupUrl: env.MZ_PG_SLOT_CLEANUP_URL,
    mzKafkaBroker: env.MZ_KAFKA_BROKER, mzKafkaSecurityProtocol: env.MZ_KAFKA_SECURITY_PROTOCOL,
    mzKafkaSaslMechanism: env.MZ_KAFKA_SASL_MECHANISM, mzKafkaSaslUsername: env.MZ_KAFKA_SASL_USERNAME,
    mzKafkaSaslPassword: env.MZ_KAFKA_SASL_PASSWORD, kafkaTopic: env.KAFKA_TOPIC, kafkaBrokers: env.KAFKA_BROKERS,
    connectTimeoutSeconds: env.MIGRATE_CONNECT_TIMEOUT_SECONDS,
  };
}

/** Builds the config from CLI options and the environment. Throws ConfigError. */
export function migrateConfig(cli: MigrateCliOptions, env: Env): MigrateConfig {
  const envValues = fromEnv(env);
  const cliValues: Partial<Record<Key, string>> = { target: cli.target, url: cli.url };
  const sourceOf = (key: string): string => {
    const [flag, envName] = MIGRATE_SETTINGS[key as Key];
    if (given(cliValues[key as Key]) !== undefined || envName === "") return flag;
    return envName;
  };
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(MIGRATE_SETTINGS) as Key[]) {
    input[key] = given(cliValues[key]) ?? given(envValues[key]) ?? given(MIGRATE_SETTINGS[key][2]);
  }
  if (input.target === undefined) {
    throw new ConfigError("--target", undefined, `--target ${TARGET_NAMES.join(" | ")} (or set MIGRATE_TARGET), e.g. npm run migrate -- --target postgres`);
  }
  const shape = Object.fromEntries(Object.entries(MIGRATE_SETTINGS).map(([k, s]) => [k, s[3]]));
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) throw configErrorFromZod(parsed.error, input, sourceOf);
  return Object.freeze(resolve(parsed.data as Parsed, cli.dryRun ?? false, sourceOf));
}

function resolve(p: Parsed, dryRun: boolean, sourceOf: (key: string) => string): MigrateConfig {
  const url = p.target === "kafka" ? p.kafkaBrokers.join(",") : p.url ?? (p.target === "materialize" ? p.mzUrl : p.pgUrl);
  if (url === undefined) {
    throw new ConfigError("--url", undefined, "a postgres:// superuser URL of the lab's database (or set MIGRATE_PG_URL)");
  }
  const mzPgPassword = p.mzPgPassword ?? p.materializePgPassword;
  const usesSasl = p.mzKafkaSecurityProtocol.startsWith("SASL_");
  if (usesSasl && p.target === "materialize") {
    for (const key of ["mzKafkaSaslUsername", "mzKafkaSaslPassword"] as const) {
      if (p[key] === undefined) throw new ConfigError(sourceOf(key), undefined, `a value when MZ_KAFKA_SECURITY_PROTOCOL is ${p.mzKafkaSecurityProtocol}`);
    }
  }
  return {
    target: p.target,
    url,
    dryRun,
    loadgenPgPassword: p.loadgenPgPassword,
    materializePgPassword: p.materializePgPassword,
    bridgePgPassword: p.bridgePgPassword,
    mzCluster: p.mzCluster,
    mzPgHost: p.mzPgHost,
    mzPgPort: p.mzPgPort,
    mzPgDatabase: p.mzPgDatabase,
    mzPgUser: p.mzPgUser,
    mzPgPassword,
    mzPgSslMode: p.mzPgSslMode,
    mzPgSlotCleanupUrl: slotCleanupUrl(p, mzPgPassword),
    mzKafkaBroker: p.mzKafkaBroker,
    mzKafkaSecurityProtocol: p.mzKafkaSecurityProtocol,
    mzKafkaSasl: usesSasl
      ? { mechanism: p.mzKafkaSaslMechanism, username: p.mzKafkaSaslUsername ?? "", password: p.mzKafkaSaslPassword ?? "" }
      : undefined,
    kafkaTopic: p.kafkaTopic,
    kafkaBrokers: p.kafkaBrokers,
    connectTimeoutSeconds: p.connectTimeoutSeconds,
  };
}

/** The upstream Postgres as this command reaches it; by default, as Materialize does. */
function slotCleanupUrl(p: Parsed, password: string): string | undefined {
  if (p.mzPgSlotCleanupUrl === "none") return undefined;
  if (p.mzPgSlotCleanupUrl !== undefined) return p.mzPgSlotCleanupUrl;
  const url = new URL("postgres://placeholder");
  url.hostname = p.mzPgHost;
  url.port = String(p.mzPgPort);
  url.username = p.mzPgUser;
  url.password = password;
  url.pathname = `/${encodeURIComponent(p.mzPgDatabase)}`;
  if (p.mzPgSslMode !== "disable") url.searchParams.set("sslmode", p.mzPgSslMode);
  return url.toString();
}
