// Postgres + a Kafka API + Materialize, wired so that Materialize can reach the other two.
//
//   1. LAB_MZ_URL, LAB_PG_URL and LAB_KAFKA_BROKERS given (e.g. the compose stack): used as
//      is, via test/helpers/services.ts. Materialize reaches the upstreams at MZ_PG_HOST,
//      MZ_PG_PORT and MZ_KAFKA_BROKER (defaults: the compose names postgres:5432 and
//      redpanda:9092; see config/migrate.ts).
//   2. Else, with a container runtime: the three containers on one Docker network, with the
//      aliases `postgres` and `redpanda`; Redpanda advertises redpanda:9092 to Materialize
//      and host:port to this process.
//   3. Else: skipped with the reason printed (failed instead if LAB_REQUIRE names materialize).
//
// Call at the top level of a test file (containers are stopped by an afterAll).

import { PostgreSqlContainer } from "@testcontainers/postgresql";
import { GenericContainer, Network, RandomPortGenerator, Wait, getContainerRuntimeClient, type StartedTestContainer } from "testcontainers";
import { afterAll } from "vitest";
import { readEnv } from "../../../config/env.ts";
import { migrateConfig } from "../../../config/migrate.ts";
import { loadTestServicesConfig } from "../../../config/test-services.ts";
import { images } from "../../helpers/images.ts";
import { unavailable, useKafka, useMaterialize, usePostgres, type Availability } from "../../helpers/services.ts";

export interface MaterializeStack {
  /** Superuser URL of the upstream Postgres server, as this process reaches it. */
  pgAdminUrl: string;
  /** Kafka brokers as this process reaches them. */
  kafkaBrokers: string[];
  /** Materialize's SQL URL. */
  mzUrl: string;
  /** The upstreams as Materialize reaches them. */
  upstream: { pgHost: string; pgPort: number; kafkaBroker: string };
}

const MATERIALIZE_STARTUP_TIMEOUT_MS = 300_000;

export async function useMaterializeStack(): Promise<Availability<MaterializeStack>> {
  const services = loadTestServicesConfig();
  if (services.mzUrl && (!services.pgUrl || !services.kafkaBrokers)) {
    const reason = "LAB_MZ_URL is set but LAB_PG_URL or LAB_KAFKA_BROKERS is not: Materialize must replicate from those same services";
    return unavailable("materialize", reason, services.required);
  }
  if (services.mzUrl) return fromGivenServices();
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    return unavailable("materialize", `LAB_MZ_URL is not set and no container runtime was found (${firstLine(error)})`, services.required);
  }
  try {
    return { available: true, ...(await startContainers()) };
  } catch (error) {
    return unavailable("materialize", `LAB_MZ_URL is not set and the containers did not start: ${firstLine(error)}`, services.required);
  }
}

async function fromGivenServices(): Promise<Availability<MaterializeStack>> {
  const [pg, kafka, mz] = [await usePostgres(), await useKafka(), await useMaterialize()];
  if (!pg.available) return pg;
  if (!kafka.available) return kafka;
  if (!mz.available) return mz;
  // The upstream addresses as Materialize sees them come from the same settings as the
  // migration command's; only their defaults are used here.
  const config = migrateConfig({ target: "materialize", url: mz.sqlUrl }, readEnv());
  return {
    available: true,
    pgAdminUrl: pg.adminUrl,
    kafkaBrokers: kafka.brokers,
    mzUrl: mz.sqlUrl,
    upstream: { pgHost: config.mzPgHost, pgPort: config.mzPgPort, kafkaBroker: config.mzKafkaBroker },
  };
}

async function startContainers(): Promise<MaterializeStack> {
  const runtime = await getContainerRuntimeClient();
  const host = runtime.info.containerRuntime.host;
  const network = await new Network().start();
  const started: StartedTestContainer[] = [];
  afterAll(async () => {
    for (const container of started.reverse()) await container.stop();
    await network.stop();
  });

  const postgres = await new PostgreSqlContainer(images.postgres)
    .withNetwork(network)
    .withNetworkAliases("postgres")
    .withUsername("postgres")
    .withPassword("postgres")
    .withDatabase("postgres")
    .withCommand(["postgres", "-c", "wal_level=logical"])
    .start();
  started.push(postgres);

  const kafkaPort = await new RandomPortGenerator().generatePort();
  const redpanda = await new GenericContainer(images.redpanda)
    .withNetwork(network)
    .withNetworkAliases("redpanda")
    .withExposedPorts({ container: kafkaPort, host: kafkaPort })
    .withCommand([
      "redpanda", "start", "--mode", "dev-container", "--smp", "1", "--memory", "1G",
      "--kafka-addr", `internal://0.0.0.0:9092,external://0.0.0.0:${kafkaPort}`,
      "--advertise-kafka-addr", `internal://redpanda:9092,external://${host}:${kafkaPort}`,
    ])
    .withWaitStrategy(Wait.forLogMessage(/Successfully started Redpanda/))
    .start();
  started.push(redpanda);

  const materialize = await new GenericContainer(images.materialize)
    .withNetwork(network)
    .withExposedPorts(6875, 6878)
    .withEnvironment({ MZ_NO_TELEMETRY: "1" })
    .withWaitStrategy(Wait.forHttp("/api/readyz", 6878))
    .withStartupTimeout(MATERIALIZE_STARTUP_TIMEOUT_MS)
    .start();
  started.push(materialize);

  return {
    pgAdminUrl: postgres.getConnectionUri(),
    kafkaBrokers: [`${host}:${kafkaPort}`],
    mzUrl: `postgres://materialize@${materialize.getHost()}:${materialize.getMappedPort(6875)}/materialize`,
    upstream: { pgHost: "postgres", pgPort: 5432, kafkaBroker: "redpanda:9092" },
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

