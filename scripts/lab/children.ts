// The lab's own processes (generator, bridge, terminal view): each a child in its own process
// group, so that Ctrl-C reaches the lab alone and the lab stops them in order (generator
// first, then the bridge once nothing new arrives, then the view).

import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Env } from "../../config/env.ts";

export interface LabChild {
  name: string;
  pid: number;
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
  const stdio = spec.output === "terminal" ? (["ignore", "inherit", "inherit"] as const) : (["ignore", "pipe", "pipe"] as const);
  const child = spawn(process.execPath, ["--import", "tsx", spec.entry, ...spec.args], {
    cwd: repoRoot, env: { ...spec.env }, stdio: [...stdio], detached: true,
  });
  if (spec.output !== "terminal") pipeToLog(child, spec.output.logDir, spec.name);
  if (child.pid === undefined) throw new Error(`could not start ${spec.name}`);
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  let stopping: Promise<number | string> | undefined;
  const stop = (graceMs = 20_000) => (stopping ??= stopChild(child, exited, graceMs));
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return { name: spec.name, pid: child.pid, isRunning, exited, stop };
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

function pipeToLog(child: ChildProcess, logDir: string, name: string): void {
  mkdirSync(logDir, { recursive: true });
  const file = createWriteStream(join(logDir, `${name}.log`), { flags: "a" });
  child.stdout?.pipe(file, { end: false });
  child.stderr?.pipe(file, { end: false });
  child.once("close", () => file.end());
}

/** The log file a child writes to. */
export const logFile = (logDir: string, name: string) => join(logDir, `${name}.log`);
