// Runs one of the lab's command-line tools as a child process, the way a user would, and
// collects its exit code and output. Optionally sends a signal after a delay.
// The child leads its own process group, registered with ./cleanup.ts: should the test fail or
// time out while it runs, the whole group is killed (no generator is left running).

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readEnv } from "../../config/env.ts";
import { registerCleanup } from "./cleanup.ts";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface ToolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the signal (if one was sent) to the exit. */
  exitAfterSignalMs?: number;
}

export interface RunToolOptions {
  env?: Record<string, string>;
  /** Send this signal after `afterMs` (or when `when` first returns true for the stderr seen so far). */
  signal?: { name: NodeJS.Signals; afterMs?: number; whenStderr?: RegExp };
  timeoutMs?: number;
  /** Called with the stderr seen so far, each time more arrives. */
  onStderr?: (stderrSoFar: string) => void;
  /** When aborted, the tool gets SIGTERM (a caller that is itself stopping takes its child along). */
  abort?: AbortSignal;
}

/** `entry` is a repo-relative TypeScript file such as "loadgen/main.ts". */
export function runTool(entry: string, args: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: repoRoot,
    env: { ...readEnv(), LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const release = registerCleanup(`${entry} (pid ${child.pid})`, async () => killGroup(), killGroup);
  let stdout = "";
  let stderr = "";
  let signalledAt: number | undefined;
  const sendSignal = () => {
    if (signalledAt !== undefined || !options.signal) return;
    signalledAt = performance.now();
    child.kill(options.signal.name);
  };
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (options.signal?.whenStderr?.test(stderr)) sendSignal();
    options.onStderr?.(stderr);
  });
  if (options.signal?.afterMs !== undefined) setTimeout(sendSignal, options.signal.afterMs);
  const killer = setTimeout(killGroup, options.timeoutMs ?? 120_000);
  const terminate = () => child.kill("SIGTERM");
  if (options.abort?.aborted) terminate();
  else options.abort?.addEventListener("abort", terminate, { once: true });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      void release();
      options.abort?.removeEventListener("abort", terminate);
      const exitAfterSignalMs = signalledAt === undefined ? undefined : performance.now() - signalledAt;
      resolve({ code, signal, stdout, stderr, exitAfterSignalMs });
    });
  });
}

export interface RunningTool {
  pid: number;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or the signal) once it is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Sends the signal (unless it already exited) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/** Starts a tool in the background; the caller must `stop()` it (in an afterAll, so a failing test does too). */
export function startTool(entry: string, args: readonly string[], options: { env?: Record<string, string> } = {}): RunningTool {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: repoRoot,
    env: { ...readEnv(), LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  if (child.pid === undefined) throw new Error(`could not start ${entry}`);
  return { pid: child.pid, stderr: () => stderr, exited, stop };
}
