// Metabase and the Materialize it reads, wired so that Metabase's server can reach Materialize.
//
//   1. LAB_METABASE_URL and LAB_MZ_URL both given (e.g. the compose stack): used as is; Metabase
//      reaches Materialize at LAB_METABASE_MZ_HOST / LAB_METABASE_MZ_PORT (compose: materialize,
//      6875), else at LAB_MZ_URL's host unless that is a loopback address (metabase-target.ts).
//   2. Neither given, with a container runtime: both containers on one testcontainers Network, and
//      Metabase reaches Materialize by its network alias, materialize:6875. No host.docker.internal,
//      which plain Docker on Linux (a GitHub Actions runner) does not define.
//   3. Else: skipped with the reason printed (failed instead if LAB_REQUIRE names either service).
//
// Call at the top level of a test file: the containers and the network are removed by an afterAll.

import { Network, type StartedTestContainer } from "testcontainers";
import { afterAll } from "vitest";
import { readEnv } from "../../../config/env.ts";
import { loadTestServicesConfig } from "../../../config/test-services.ts";
import {
  materializeContainer,
  materializeSqlUrl,
  metabaseBaseUrl,
  metabaseContainer,
  probeContainerRuntime,
  unavailable,
  type Availability,
} from "../../helpers/services.ts";
import { materializeAsMetabaseSeesIt, type MetabaseTarget } from "./metabase-target.ts";

export interface MetabasePair {
  /** Metabase's base URL as this process reaches it. */
  baseUrl: string;
  /** Materialize's SQL URL as this process reaches it. */
  sqlUrl: string;
  /** Materialize as Metabase's server reaches it (METABASE_MZ_HOST / METABASE_MZ_PORT). */
  target: MetabaseTarget;
}

/** Materialize's alias on the network the test's containers share. */
export const MATERIALIZE_ALIAS = "materialize";

export async function useMetabasePair(): Promise<Availability<MetabasePair>> {
  const config = loadTestServicesConfig();
  const required = config.required;
  const missing = (reason: string) =>
    unavailable(required.has("materialize") ? "materialize" : "metabase", reason, required);
  if (config.metabaseUrl && config.mzUrl) {
    const env = readEnv();
    const target = materializeAsMetabaseSeesIt(config.mzUrl, { host: env.LAB_METABASE_MZ_HOST, port: env.LAB_METABASE_MZ_PORT });
    if ("reason" in target) return missing(target.reason);
    return { available: true, baseUrl: config.metabaseUrl, sqlUrl: config.mzUrl, target };
  }
  if (config.metabaseUrl || config.mzUrl) {
    return missing("give both LAB_METABASE_URL and LAB_MZ_URL, or neither (then both run as containers on one network)");
  }
  const runtime = await probeContainerRuntime();
  if (!("host" in runtime)) return missing(`LAB_METABASE_URL and LAB_MZ_URL are not set and ${runtime.reason}`);
  try {
    return { available: true, ...(await startPair()) };
  } catch (error) {
    return missing(`the Metabase and Materialize containers did not start: ${firstLine(error)}`);
  }
}

async function startPair(): Promise<MetabasePair> {
  const network = await new Network().start();
  const started: StartedTestContainer[] = [];
  afterAll(async () => {
    for (const container of started.reverse()) await container.stop();
    await network.stop();
  });
  const materialize = await materializeContainer().withNetwork(network).withNetworkAliases(MATERIALIZE_ALIAS).start();
  started.push(materialize);
  const metabase = await metabaseContainer().withNetwork(network).start();
  started.push(metabase);
  return {
    baseUrl: metabaseBaseUrl(metabase),
    sqlUrl: materializeSqlUrl(materialize),
    // Inside the network Materialize listens on its own SQL port, not the host's mapped one.
    target: { host: MATERIALIZE_ALIAS, port: "6875" },
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
