// The migration command's configuration: defaults, precedence, and errors that name the
// flag or variable to fix.

import { describe, expect, it } from "vitest";
import { configError } from "../helpers/config-error.ts";
import { MIGRATE_SETTINGS, migrateConfig } from "../../config/migrate.ts";

const PG = "postgres://postgres@127.0.0.1:5432/lab";


describe("the migration configuration", () => {
  it("sets the bridge's role lab_bridge the password BRIDGE_PG_PASSWORD, `bridge` by default", () => {
    expect(migrateConfig({ target: "reference", url: "postgres://p@h/db" }, {}).bridgePgPassword).toBe("bridge");
    expect(migrateConfig({ target: "reference", url: "postgres://p@h/db" }, { BRIDGE_PG_PASSWORD: "s3cret" }).bridgePgPassword).toBe("s3cret");
  });

  it("treats variables set to an empty string as not given", () => {
    const config = migrateConfig({ target: "materialize" }, { MZ_CLUSTER: "", MZ_PG_PORT: "", KAFKA_TOPIC: "" });
    expect(config).toMatchObject({ mzCluster: "quickstart", mzPgPort: 5432, kafkaTopic: "conversion_predictions" });
  });

  it("has local defaults for everything Materialize needs", () => {
    const config = migrateConfig({ target: "materialize" }, {});
    expect(config).toMatchObject({
      url: "postgres://materialize@127.0.0.1:6875/materialize",
      mzCluster: "quickstart",
      mzPgHost: "postgres",
      mzPgPort: 5432,
      mzPgDatabase: "lab",
      mzPgUser: "materialize",
      mzPgPassword: "materialize",
      mzPgSslMode: "disable",
      mzKafkaBroker: "redpanda:9092",
      mzKafkaSecurityProtocol: "PLAINTEXT",
      mzKafkaSasl: undefined,
      kafkaTopic: "conversion_predictions",
      loadgenPgPassword: "loadgen",
      materializePgPassword: "materialize",
      mzPgSlotCleanupUrl: "postgres://materialize:materialize@postgres:5432/lab",
    });
  });

  it("lets --url win over MIGRATE_PG_URL, and MZ_PG_PASSWORD default to MATERIALIZE_PG_PASSWORD", () => {
    expect(migrateConfig({ target: "reference", url: PG }, { MIGRATE_PG_URL: "postgres://other/x" }).url).toBe(PG);
    expect(migrateConfig({ target: "reference" }, { MIGRATE_PG_URL: PG }).url).toBe(PG);
    expect(migrateConfig({ target: "materialize" }, { MATERIALIZE_PG_PASSWORD: "s3cret" }).mzPgPassword).toBe("s3cret");
    expect(migrateConfig({}, { MIGRATE_TARGET: "postgres", MIGRATE_PG_URL: PG }).target).toBe("postgres");
  });

  it("asks for a URL for the Postgres targets, naming the flag and the variable", () => {
    const error = configError(() => migrateConfig({ target: "postgres" }, {}));
    expect(error.field).toBe("--url");
    expect(error.message).toMatch(/MIGRATE_PG_URL/);
  });

  it.each([
    ["0", "a port number from 1 to 65535"],
    ["65536", "a port number from 1 to 65535"],
    ["http", "expected a number: a port number from 1 to 65535"],
    ["0x10", "plain decimal digits"],
    ["1e3", "plain decimal digits"],
    [" 5432", "plain decimal digits"],
  ])("refuses MZ_PG_PORT=%j, naming the variable and the allowed range", (text, allowed) => {
    const error = configError(() => migrateConfig({ target: "materialize" }, { MZ_PG_PORT: text }));
    expect(error.field).toBe("MZ_PG_PORT");
    expect(error.allowed).toContain(allowed);
    expect(error.message).not.toMatch(/NaN/);
  });

  it("refuses ports outside 1..65535 in the broker and URL settings, and a timeout in exponent notation", () => {
    expect(configError(() => migrateConfig({ target: "materialize" }, { MZ_KAFKA_BROKER: "redpanda:70000" })).field).toBe("MZ_KAFKA_BROKER");
    expect(configError(() => migrateConfig({ target: "kafka" }, { KAFKA_BROKERS: "k:0" })).field).toBe("KAFKA_BROKERS");
    expect(configError(() => migrateConfig({ target: "reference" }, { MIGRATE_PG_URL: "postgres://p@h:99999/lab" })).field).toBe("MIGRATE_PG_URL");
    expect(configError(() => migrateConfig({ target: "reference", url: "postgres://p@h:99999/lab" }, {})).field).toBe("--url");
    expect(configError(() => migrateConfig({ target: "kafka" }, { MIGRATE_CONNECT_TIMEOUT_SECONDS: "1e3" })).field).toBe("MIGRATE_CONNECT_TIMEOUT_SECONDS");
    expect(migrateConfig({ target: "kafka" }, { MIGRATE_CONNECT_TIMEOUT_SECONDS: "90" }).connectTimeoutSeconds).toBe(90);
  });

  it("names every allowed target when none is given", () => {
    const error = configError(() => migrateConfig({}, {}));
    expect(error.field).toBe("--target");
    expect(error.message).toMatch(/^invalid configuration: --target is not set; allowed: --target postgres \| reference \| materialize \| kafka/);
    expect(error.message).toContain("MIGRATE_TARGET");
  });

  it("names the variable that holds a bad value", () => {
    expect(configError(() => migrateConfig({ target: "materialize" }, { MZ_PG_PORT: "http" })).field).toBe("MZ_PG_PORT");
    expect(configError(() => migrateConfig({ target: "materialize" }, { MZ_KAFKA_SECURITY_PROTOCOL: "TLS" })).message).toMatch(
      /MZ_KAFKA_SECURITY_PROTOCOL = "TLS"; allowed: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/,
    );
    expect(configError(() => migrateConfig({ target: "nope" }, {})).field).toBe("--target");
    expect(configError(() => migrateConfig({ target: "reference", url: "mysql://x" }, {})).field).toBe("--url");
    expect(configError(() => migrateConfig({ target: "materialize" }, { MZ_CLUSTER: "Robert'); drop" })).field).toBe("MZ_CLUSTER");
  });

  it("needs SASL credentials when the Kafka protocol uses SASL", () => {
    const env = { MZ_KAFKA_SECURITY_PROTOCOL: "SASL_SSL" };
    expect(configError(() => migrateConfig({ target: "materialize" }, env)).field).toBe("MZ_KAFKA_SASL_USERNAME");
    const config = migrateConfig({ target: "materialize" }, { ...env, MZ_KAFKA_SASL_USERNAME: "u", MZ_KAFKA_SASL_PASSWORD: "p" });
    expect(config.mzKafkaSasl).toEqual({ mechanism: "SCRAM-SHA-256", username: "u", password: "p" });
  });

  it("cleans stale slots through MZ_PG_SLOT_CLEANUP_URL, or not at all with `none`", () => {
    expect(migrateConfig({ target: "materialize" }, { MZ_PG_SLOT_CLEANUP_URL: PG }).mzPgSlotCleanupUrl).toBe(PG);
    expect(migrateConfig({ target: "materialize" }, { MZ_PG_SLOT_CLEANUP_URL: "none" }).mzPgSlotCleanupUrl).toBeUndefined();
    const tls = migrateConfig({ target: "materialize" }, { MZ_PG_SSL_MODE: "require", MZ_PG_PASSWORD: "p@ss word" });
    expect(tls.mzPgSlotCleanupUrl).toBe("postgres://materialize:p%40ss%20word@postgres:5432/lab?sslmode=require");
  });

  it("reads exactly the variables its settings table lists", () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        read.add(String(name));
        return undefined;
      },
    });
    migrateConfig({ target: "materialize" }, env);
    const listed = Object.values(MIGRATE_SETTINGS).map((setting) => setting[1]).filter((name) => name !== "");
    expect([...read].sort()).toEqual([...listed].sort());
  });
});
