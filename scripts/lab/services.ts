// The lab's Postgres and Kafka, started and stopped with scripts/services/*.sh (the same scripts
// the tests and CI use). A service that was already running is left running at the end.

import { spawn } from "node:child_process";
import { join } from "node:path";
import type { Env } from "../../config/env.ts";

export interface ServiceUrls {
  /** Superuser URL of the server's `postgres` database. */
  adminUrl: string;
  brokers: string[];
}

export type ServiceName = "postgres" | "kafka";

/** Runs one of scripts/services/*.sh; its own lines go to `log`. Resolves to its stdout. */
export function runServiceScript(repoRoot: string, script: string, env: Env, log: (line: string) => void, args: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [join(repoRoot, "scripts", "services", script), ...args], {
      cwd: repoRoot, env: { ...env }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    const forward = (chunk: Buffer) => chunk.toString().split("\n").filter(Boolean).forEach(log);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      forward(chunk);
    });
    child.stderr.on("data", forward);
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${script} exited with ${code}`))));
  });
}

/** Starts the service unless it runs; true when this call started it. */
export async function startService(name: ServiceName, repoRoot: string, env: Env, log: (line: string) => void): Promise<boolean> {
  const output = await runServiceScript(repoRoot, `start-${name}.sh`, env, log);
  return !/already running/.test(output);
}

export async function stopService(name: ServiceName, repoRoot: string, env: Env, log: (line: string) => void): Promise<void> {
  await runServiceScript(repoRoot, `stop-${name}.sh`, env, log);
}

/** Where the scripts put the services (`env.sh` prints `export LAB_PG_URL=…` lines). */
export async function serviceUrls(repoRoot: string, env: Env): Promise<ServiceUrls> {
  const output = await runServiceScript(repoRoot, "env.sh", env, () => {});
  const value = (name: string) => {
    const match = new RegExp(`^export ${name}=(\\S+)$`, "m").exec(output);
    if (!match?.[1]) throw new Error(`scripts/services/env.sh printed no ${name}`);
    return match[1];
  };
  return { adminUrl: value("LAB_PG_URL"), brokers: value("LAB_KAFKA_BROKERS").split(",") };
}
