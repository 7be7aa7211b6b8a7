// docker-compose.yml must be valid for the Compose implementations at hand, checked with their own
// `config` command (which parses, validates and interpolates, without a Docker engine):
// - `docker-compose` (Debian's package, Compose v1.29 in Python): the older schema, so the file
//   avoids what it rejects (a top-level `name:`). Required when LAB_REQUIRE names `docker-compose`.
// - `docker compose` (the v2 plugin, what users run): checked when present.
// A missing binary skips its test with a printed reason.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { loadTestServicesConfig } from "../../config/test-services.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const required = loadTestServicesConfig().required;

function run(command: string, args: readonly string[]) {
  // An empty environment for Compose's own variables, so a developer's .env or shell cannot make it
  // pass or fail; PATH and HOME are kept so the binary and its config are found.
  const env = { PATH: readEnv().PATH ?? "/usr/bin:/bin", HOME: readEnv().HOME ?? "/tmp" };
  return spawnSync(command, [...args], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
}

function availability(command: string, versionArgs: readonly string[]): string | undefined {
  const probe = run(command, versionArgs);
  if (probe.error) return `${command} not found (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message})`;
  if (probe.status !== 0) return `${[command, ...versionArgs].join(" ")} exited ${probe.status}: ${probe.stderr.trim().split("\n")[0]}`;
  return undefined;
}

const v1Missing = availability("docker-compose", ["version"]);
if (v1Missing && required.has("docker-compose")) {
  throw new Error(`LAB_REQUIRE names docker-compose, but ${v1Missing}; install it with apt-get install docker-compose`);
}
if (v1Missing) process.stderr.write(`[skip] docker-compose (v1) config check: ${v1Missing}\n`);

const v2Missing = availability("docker", ["compose", "version"]);
if (v2Missing) process.stderr.write(`[skip] docker compose (v2) config check: ${v2Missing}\n`);

describe("docker-compose.yml, as Compose itself reads it", () => {
  it.skipIf(v1Missing !== undefined)("is valid for docker-compose v1 (`docker-compose config` exits 0)", () => {
    const result = run("docker-compose", ["-f", "docker-compose.yml", "config", "--quiet"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it.skipIf(v2Missing !== undefined)("is valid for docker compose v2 (`docker compose config` exits 0)", () => {
    const result = run("docker", ["compose", "-f", "docker-compose.yml", "config", "--quiet"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
