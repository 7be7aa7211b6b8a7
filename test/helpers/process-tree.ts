// Processes by PID, from /proc (Linux): the descendants of a process, and whether a process
// seen earlier is still alive. A PID is identified with its start time, so a PID reused by an
// unrelated process later never counts as a survivor.

import { readdirSync, readFileSync } from "node:fs";

export interface ProcessId {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot when it started. */
  startTicks: string;
  command: string;
}

interface StatLine {
  ppid: number;
  state: string;
  startTicks: string;
}

function readStat(pid: number): StatLine | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "?", ppid: Number(fields[1]), startTicks: fields[19] ?? "" };
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Every live descendant of `rootPid` (children, their children, ...). */
export function descendantsOf(rootPid: number): ProcessId[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const found: ProcessId[] = [];
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const stat = readStat(pid);
    if (!stat) continue;
    found.push({ pid, startTicks: stat.startTicks, command: commandOf(pid) });
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Still running (a zombie, already exited and waiting to be reaped, does not count). */
export function isAlive(process: ProcessId): boolean {
  const stat = readStat(process.pid);
  return stat !== undefined && stat.startTicks === process.startTicks && stat.state !== "Z";
}
