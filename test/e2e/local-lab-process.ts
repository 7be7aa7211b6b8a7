// `npm run lab` as a user runs it, in its own process group (a terminal's foreground job), so
// that a test can press Ctrl-C: SIGINT to the whole group. Collects the PIDs the lab reports.

import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { readEnv } from "../../config/env.ts";
import { repoRoot } from "../helpers/run-tool.ts";

export interface LabRun {
  pid: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Ctrl-C: SIGINT to the lab's process group. */
  interrupt(): void;
  /** SIGKILL to the process group (clean-up after a failure). */
  kill(): void;
}

/** Runs a shell command line (as a README gives it) as a foreground job. */
export function startCommand(commandLine: string, env: Record<string, string>): LabRun {
  const child = spawn("bash", ["-c", commandLine], { cwd: repoRoot, env: { ...readEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const pid = child.pid ?? -1;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone
    }
  };
  return { pid, stdout: () => stdout, stderr: () => stderr, exited, interrupt: () => signalGroup("SIGINT"), kill: () => signalGroup("SIGKILL") };
}

/** PIDs of what the lab started: its children (from its `[lab] started …` lines) and the two services. */
export function labPids(stderr: string, stateDir: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const match of stderr.matchAll(/\[lab\] started (\w+) \(PID (\d+)/g)) pids.set(match[1]!, Number(match[2]));
  const firstLine = (path: string) => Number(readFileSync(path, "utf8").split("\n")[0]);
  pids.set("postgres", firstLine(join(stateDir, "postgres", "data", "postmaster.pid")));
  pids.set("kafka", firstLine(join(stateDir, "kafka", "kafka.pid")));
  return pids;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group (a foreground job: npm, its shell, tsx, the lab) lives. */
export function groupAlive(pgid: number): boolean {
  return isAlive(-pgid);
}

/** Ports nothing listens on now (the OS hands out a free one for port 0). */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
      });
    });
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** Why the local lab cannot start here, or undefined: it needs Debian's Postgres, Java and Maven. */
export function localLabMissing(): string | undefined {
  const probe = spawnSync("bash", ["-c", "source scripts/services/lib.sh && [[ -n \"$(pg_bindir)\" ]] && command -v java && command -v mvn"], { cwd: repoRoot });
  return probe.status === 0 ? undefined : "needs Debian's postgresql, a Java runtime and Maven (see the README's \"Without Docker\")";
}
