// The lab's own processes (generator, bridge, terminal view): each a child in its own process
// group, so that Ctrl-C reaches the lab alone and the lab stops them in order (generator
// first, then the bridge once nothing new arrives, then the view).
// Should the lab die without stopping them (SIGKILL, a crash), they stop by themselves: each
// has an IPC channel to the lab and exit-with-parent.ts preloaded, which stops the child when
// the channel closes. Their output goes straight to their log files, not through the lab, so
// nothing they write on the way out is lost.

import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Env } from "../../config/env.ts";

const EXIT_WITH_PARENT = fileURLToPath(new URL("./exit-with-parent.ts", import.meta.url));

export interface LabChild {
  name: string;
  pid: number;
  /** The repo-relative entry point it runs. */
  entry: string;
  isRunning(): boolean;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface ChildSpec {
  name: string;
  /** A repo-relative TypeScript entry point, run with tsx. */
  entry: string;
  args: readonly string[];
  env: Env;
  /** Where stdout and stderr go: a log file in this folder, or the lab's own terminal. */
  output: { logDir: string } | "terminal";
}

export function startChild(repoRoot: string, spec: ChildSpec): LabChild {
  const logFd = spec.output === "terminal" ? undefined : openLog(spec.output.logDir, spec.name);
  const output = logFd ?? "inherit";
  const stdio: StdioOptions = ["ignore", output, output, "ipc"];
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ["--import", "tsx", "--import", EXIT_WITH_PARENT, spec.entry, ...spec.args], {
      cwd: repoRoot, env: { ...spec.env }, stdio, detached: true, serialization: "json",
    });
  } finally {
    if (logFd !== undefined) closeSync(logFd); // the child holds its own copy
  }
  child.on("error", () => {}); // a failed spawn shows as its exit, below
  if (child.pid === undefined) throw new Error(`could not start ${spec.name}`);
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  let stopping: Promise<number | string> | undefined;
  const stop = (graceMs = 20_000) => (stopping ??= stopChild(child, exited, graceMs));
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return { name: spec.name, pid: child.pid, entry: spec.entry, isRunning, exited, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<number | string>, graceMs: number): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(killer);
  }
}

function openLog(logDir: string, name: string): number {
  mkdirSync(logDir, { recursive: true });
  return openSync(logFile(logDir, name), "a");
}

/** The log file a child writes to. */
export const logFile = (logDir: string, name: string) => join(logDir, `${name}.log`);
