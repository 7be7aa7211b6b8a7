// Private Postgres and Kafka servers for tests that crash or restart them, so that no other test's
// server goes away. Started with the lab's own scripts/services/*.sh on free ports, with state in a
// temp dir whose name starts with PRIVATE_STATE_PREFIX; stopped and deleted through ./cleanup.ts
// even when the test fails or times out (scripts/leftovers.ts finds any that survive).
//
//   const pg = await privatePostgres();        // inside a test, or at the top of a file
//   await pg.crash(); await pg.start();

import { execFile, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { readEnv } from "../../config/env.ts";
import { PRIVATE_STATE_PREFIX } from "../../scripts/leftovers/find.ts";
import { registerCleanup } from "./cleanup.ts";
import { repoRoot } from "./run-tool.ts";

export { PRIVATE_STATE_PREFIX };

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

interface Scripts {
  env: Record<string, string | undefined>;
  stateDir: string;
  /** Runs scripts/services/<name> with the private settings. */
  script(name: string, ...args: string[]): Promise<{ stdout: string; stderr: string }>;
}

async function privateScripts(kind: string, ports: Record<string, number>, stopScript: string[]): Promise<Scripts> {
  const stateDir = mkdtempSync(join(tmpdir(), `${PRIVATE_STATE_PREFIX}${kind}-`));
  chmodSync(stateDir, 0o755); // as root, postgres runs as an unprivileged user that must reach it
  const env: Record<string, string | undefined> = { ...readEnv(), LAB_STATE_DIR: stateDir, LAB_PG_FAST: undefined };
  for (const [name, port] of Object.entries(ports)) env[name] = String(port);
  const script = (name: string, ...args: string[]) =>
    run("bash", [`scripts/services/${name}`, ...args], { cwd: repoRoot, env: env as NodeJS.ProcessEnv });
  const [stopName, ...stopArgs] = stopScript as [string, ...string[]];
  registerCleanup(
    `private ${kind} in ${stateDir}`,
    async () => {
      await script(stopName, ...stopArgs).catch(() => {});
      rmSync(stateDir, { recursive: true, force: true });
    },
    () => {
      spawnSync("bash", [`scripts/services/${stopName}`, ...stopArgs], { cwd: repoRoot, env: env as NodeJS.ProcessEnv, stdio: "ignore" });
      rmSync(stateDir, { recursive: true, force: true });
    },
  );
  return { env, stateDir, script };
}

export interface PrivatePostgres {
  adminUrl: string;
  stateDir: string;
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the postmaster and its children quit without a checkpoint, as in a crash. */
  crash(): Promise<void>;
}

/** A private, durable (no LAB_PG_FAST) Postgres from scripts/services/start-postgres.sh. */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const { env, stateDir, script } = await privateScripts("postgres", { LAB_PG_PORT: port }, ["stop-postgres.sh", "--purge"]);
  const start = async () => void (await script("start-postgres.sh"));
  await start();
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stateDir,
    start,
    async crash() {
      // The lab's own helpers find the binaries, the data dir and the OS user (postgres refuses root).
      const crash = 'source scripts/services/lib.sh && as_pg_user "$(pg_bindir)/pg_ctl" -D "$(pg_home)/data" -m immediate -w stop';
      await run("bash", ["-c", crash], { cwd: repoRoot, env: env as NodeJS.ProcessEnv });
    },
  };
}

export interface PrivateBroker {
  brokers: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A private Apache Kafka broker from scripts/services/start-kafka.sh. */
export async function privateBroker(): Promise<PrivateBroker> {
  const ports = { LAB_KAFKA_PORT: await freePort(), LAB_KAFKA_CONTROLLER_PORT: await freePort() };
  const { script } = await privateScripts("kafka", ports, ["stop-kafka.sh", "--purge"]);
  const start = async () => void (await script("start-kafka.sh"));
  await start();
  return {
    brokers: `127.0.0.1:${ports.LAB_KAFKA_PORT}`,
    start,
    stop: async () => void (await script("stop-kafka.sh")),
  };
}
