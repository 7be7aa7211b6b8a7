// The services a test file needs, from wherever they can be had (docs/CONVENTIONS.md):
//   1. a URL in the environment (LAB_PG_URL, LAB_KAFKA_BROKERS, LAB_MZ_URL, LAB_METABASE_URL) is used as is;
//   2. else, when a container runtime answers, a container from images.env is started for this test
//      file and stopped by an `afterAll` once the file's tests are done (a container that fails to
//      start counts as unavailable, its error being the reason);
//   3. else the service is unavailable: the reason is printed once ("[skip] kafka unavailable: …")
//      and the suite skips itself, unless LAB_REQUIRE names the service: then this throws and
//      the test file fails.
//
//   const pg = await usePostgres();            // at the top level of the test file
//   describe.skipIf(!pg.available)("the postgres migration", () => { ... });
//
// Call the use* functions at the top level of a test file (top-level await), not inside hooks or
// tests: `afterAll` can only be registered while vitest collects the file. Calls are cached per
// test file, so a second call returns the same service. Should the process die, testcontainers'
// reaper (Ryuk) removes the containers.

import { PostgreSqlContainer } from "@testcontainers/postgresql";
import {
  GenericContainer,
  RandomPortGenerator,
  Wait,
  getContainerRuntimeClient,
  type StartedTestContainer,
} from "testcontainers";
import { afterAll } from "vitest";
import { loadTestServicesConfig, type ServiceName, type TestServicesConfig } from "../../config/test-services.ts";
import { images } from "./images.ts";

export type Availability<T> = ({ available: true } & T) | { available: false; reason: string };

const METABASE_STARTUP_TIMEOUT_MS = 600_000;
const MATERIALIZE_STARTUP_TIMEOUT_MS = 300_000;

export function usePostgres(): Promise<Availability<{ adminUrl: string }>> {
  return provide("postgres", "LAB_PG_URL", (config) => config.pgUrl && { adminUrl: config.pgUrl }, async () => {
    const container = await new PostgreSqlContainer(images.postgres)
      .withUsername("postgres")
      .withPassword("postgres")
      .withDatabase("postgres")
      .withCommand(["postgres", "-c", "wal_level=logical"])
      .start();
    return { container, value: { adminUrl: container.getConnectionUri() } };
  });
}

/** Kafka API: Redpanda in a container. Its advertised address must be the one clients dial, so the
 *  host port is chosen up front and mapped to the same port inside the container. */
export function useKafka(): Promise<Availability<{ brokers: string[] }>> {
  return provide("kafka", "LAB_KAFKA_BROKERS", (config) => config.kafkaBrokers && { brokers: config.kafkaBrokers },
    async (runtimeHost) => {
      const port = await new RandomPortGenerator().generatePort();
      const container = await new GenericContainer(images.redpanda)
        .withExposedPorts({ container: port, host: port })
        .withCommand([
          "redpanda", "start", "--mode", "dev-container", "--smp", "1", "--memory", "1G",
          "--kafka-addr", `external://0.0.0.0:${port}`,
          "--advertise-kafka-addr", `external://${runtimeHost}:${port}`,
        ])
        .withWaitStrategy(Wait.forLogMessage(/Successfully started Redpanda/))
        .start();
      return { container, value: { brokers: [`${runtimeHost}:${port}`] } };
    });
}

export function useMaterialize(): Promise<Availability<{ sqlUrl: string }>> {
  return provide("materialize", "LAB_MZ_URL", (config) => config.mzUrl && { sqlUrl: config.mzUrl }, async () => {
    const container = await materializeContainer().start();
    return { container, value: { sqlUrl: materializeSqlUrl(container) } };
  });
}

export function useMetabase(): Promise<Availability<{ baseUrl: string }>> {
  return provide("metabase", "LAB_METABASE_URL", (config) => config.metabaseUrl && { baseUrl: config.metabaseUrl },
    async () => {
      const container = await metabaseContainer().start();
      return { container, value: { baseUrl: metabaseBaseUrl(container) } };
    });
}

/** The Materialize emulator from images.env, not started (add a network before `.start()`). */
export function materializeContainer(): GenericContainer {
  return new GenericContainer(images.materialize)
    .withExposedPorts(6875, 6878)
    .withEnvironment({ MZ_NO_TELEMETRY: "1" })
    .withWaitStrategy(Wait.forHttp("/api/readyz", 6878))
    .withStartupTimeout(MATERIALIZE_STARTUP_TIMEOUT_MS);
}

export const materializeSqlUrl = (container: StartedTestContainer) =>
  `postgres://materialize@${container.getHost()}:${container.getMappedPort(6875)}/materialize`;

/** Metabase from images.env, not started (add a network before `.start()`). */
export function metabaseContainer(): GenericContainer {
  return new GenericContainer(images.metabase)
    .withExposedPorts(3000)
    .withEnvironment({
      MB_ANON_TRACKING_ENABLED: "false",
      MB_CHECK_FOR_UPDATES: "false",
      MB_LOAD_SAMPLE_CONTENT: "false",
      MB_ENABLE_PUBLIC_SHARING: "true",
      MB_DISABLE_SESSION_THROTTLE: "true",
    })
    .withWaitStrategy(Wait.forHttp("/api/health", 3000).forStatusCode(200))
    .withStartupTimeout(METABASE_STARTUP_TIMEOUT_MS);
}

export const metabaseBaseUrl = (container: StartedTestContainer) =>
  `http://${container.getHost()}:${container.getMappedPort(3000)}`;

// ---------------------------------------------------------------------------------------------

type Started<T> = { container: StartedTestContainer; value: T };

const ENV_VAR_OF: Record<ServiceName, string> = {
  postgres: "LAB_PG_URL",
  kafka: "LAB_KAFKA_BROKERS",
  materialize: "LAB_MZ_URL",
  metabase: "LAB_METABASE_URL",
};

const provided = new Map<ServiceName, Promise<Availability<object>>>();
let config: TestServicesConfig | undefined;
let runtimeProbe: Promise<{ host: string } | { reason: string }> | undefined;

function provide<T extends object>(
  name: ServiceName,
  envVar: string,
  fromEnv: (config: TestServicesConfig) => T | undefined | "",
  startContainer: (runtimeHost: string) => Promise<Started<T>>,
): Promise<Availability<T>> {
  let availability = provided.get(name) as Promise<Availability<T>> | undefined;
  if (!availability) {
    availability = resolve(name, envVar, fromEnv, startContainer);
    provided.set(name, availability);
  }
  return availability;
}

async function resolve<T extends object>(
  name: ServiceName,
  envVar: string,
  fromEnv: (config: TestServicesConfig) => T | undefined | "",
  startContainer: (runtimeHost: string) => Promise<Started<T>>,
): Promise<Availability<T>> {
  config ??= loadTestServicesConfig();
  const given = fromEnv(config);
  if (given) return { available: true, ...given };

  const runtime = await probeContainerRuntime();
  let reason: string;
  if ("host" in runtime) {
    try {
      const started = await startContainer(runtime.host);
      stopAfterThisFile(started.container);
      return { available: true, ...started.value };
    } catch (error) {
      reason = `${envVar} is not set and its container did not start: ${firstLine(error)}`;
    }
  } else {
    reason = `${envVar} is not set and ${runtime.reason}`;
  }
  return unavailable(name, reason, config.required);
}

/** The outcome for a missing service: a skip with a printed reason, or an Error when it is required. */
export function unavailable(
  name: ServiceName,
  reason: string,
  required: ReadonlySet<string>,
): { available: false; reason: string } {
  if (required.has(name)) {
    throw new Error(
      `${name} is required (LAB_REQUIRE=${[...required].join(",")}) but unavailable: ${reason}. ` +
        `Set ${ENV_VAR_OF[name]} (see scripts/services/) or run a container runtime.`,
    );
  }
  console.warn(`[skip] ${name} unavailable: ${reason}`);
  return { available: false, reason };
}

export function probeContainerRuntime(): Promise<{ host: string } | { reason: string }> {
  runtimeProbe ??= getContainerRuntimeClient().then(
    (client) => ({ host: client.info.containerRuntime.host }),
    (error: unknown) => ({ reason: `no container runtime was found (${firstLine(error)})` }),
  );
  return runtimeProbe;
}

function stopAfterThisFile(container: StartedTestContainer): void {
  try {
    afterAll(async () => {
      await container.stop();
    });
  } catch {
    // Not collecting a vitest file: the caller owns the container; Ryuk removes it at exit.
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
