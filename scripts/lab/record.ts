// The lab's record of itself, <state dir>/lab.json: its PID, the services it started and its
// children's PIDs. It is the state folder's lock (one lab per folder), and what a rerun reads
// after a lab that could not clean up (SIGKILL, a crash, a power cut):
//   - its children stop by themselves (exit-with-parent.ts); a rerun waits for them, and
//     SIGKILLs any that outlive the grace period, so two generators never write at once;
//   - its Postgres and Kafka keep running (they are servers: pg_ctl and nohup detach them, and
//     they keep their data safe on their own). The rerun reuses them and counts them as its own,
//     so its Ctrl-C stops them as the first lab's would have.

import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceName } from "./services.ts";

export interface LabRecord {
  pid: number;
  /** Services this lab started, or is starting (recorded before their script runs). */
  services: ServiceName[];
  /** name → PID, with the entry point each runs (to tell it from a process that reused the PID). */
  children: Record<string, { pid: number; entry: string }>;
}

const RECORD_FILE = "lab.json";
const LAB_ENTRY = "scripts/lab/main.ts";
const ORPHAN_GRACE_MS = 15_000;

export class LabBusyError extends Error {
  override name = "LabBusyError";
}

export interface ClaimedRecord {
  /** Services the previous lab started and left running: this lab takes them over. */
  inherited: ServiceName[];
  update(change: Partial<Omit<LabRecord, "pid">>): void;
  /** Deletes the record (after a clean stop). */
  release(): void;
}

/** Takes the state folder for this process; throws LabBusyError while another lab runs in it. */
export async function claimRecord(stateDir: string, log: (line: string) => void): Promise<ClaimedRecord> {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, RECORD_FILE);
  const previous = readRecord(path);
  if (previous && runs(previous.pid, LAB_ENTRY)) {
    throw new LabBusyError(`another lab (PID ${previous.pid}) runs with the state folder ${stateDir}: stop it (Ctrl-C) first, or give this one another LAB_STATE_DIR and ports`);
  }
  if (previous) {
    log(`the previous lab (PID ${previous.pid}) ended without stopping what it started; taking over its services (${previous.services.join(", ") || "none"})`);
    moveStaleRecordAside(path, previous, stateDir);
  }
  const record: LabRecord = { pid: process.pid, services: previous?.services ?? [], children: {} };
  createExclusively(path, record, stateDir);
  // Only once the folder is ours: a second lab started meanwhile finds this record and stops.
  if (previous) await waitForOrphans(previous.children, log);
  return {
    inherited: [...record.services],
    update(change) {
      Object.assign(record, change);
      writeAtomically(path, record);
    },
    release: () => rmSync(path, { force: true }),
  };
}

function readRecord(path: string): LabRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LabRecord;
  } catch {
    return undefined; // none, or half-written by a lab killed mid-write: nothing to take over
  }
}

/**
 * Takes the stale record away in one atomic step. Two reruns may both have read it: only one
 * rename can move it, and a rename that moved something else (a record another rerun has just
 * written) puts it back and stops. Never a plain delete: that could remove a live lab's record.
 */
function moveStaleRecordAside(path: string, stale: LabRecord, stateDir: string): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new LabBusyError(`another lab took over the state folder ${stateDir} just now`);
  }
  const moved = readRecord(aside);
  if (moved?.pid !== stale.pid || JSON.stringify(moved.children) !== JSON.stringify(stale.children)) {
    try {
      linkSync(aside, path); // back where it was, unless its lab has rewritten it meanwhile
    } catch {
      // EEXIST: its lab wrote a newer one already
    }
    rmSync(aside, { force: true });
    throw new LabBusyError(`another lab took over the state folder ${stateDir} just now`);
  }
  rmSync(aside, { force: true });
}

/** Two labs started at once: the second finds the file made, and stops. */
function createExclusively(path: string, record: LabRecord, stateDir: string): void {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    throw new LabBusyError(`another lab started with the state folder ${stateDir} just now (${path})`);
  }
  try {
    writeSync(fd, JSON.stringify(record));
  } finally {
    closeSync(fd);
  }
}

function writeAtomically(path: string, record: LabRecord): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(record));
  renameSync(`${path}.tmp`, path);
}

async function waitForOrphans(children: LabRecord["children"], log: (line: string) => void): Promise<void> {
  const alive = () => Object.entries(children).filter(([, child]) => runs(child.pid, child.entry));
  const deadline = Date.now() + ORPHAN_GRACE_MS;
  if (alive().length > 0) log(`waiting for its ${alive().map(([name, c]) => `${name} (PID ${c.pid})`).join(", ")} to stop`);
  while (alive().length > 0 && Date.now() < deadline) await sleep(200);
  for (const [name, child] of alive()) {
    log(`${name} (PID ${child.pid}) still runs after ${ORPHAN_GRACE_MS / 1000} s: killing it`);
    try {
      process.kill(child.pid, "SIGKILL");
    } catch {
      // it exited between the check and the kill
    }
  }
}

/** True when `pid` is alive and runs `entry` (a PID reused by another program does not count). */
export function runs(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").some((arg) => arg.endsWith(entry));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || existsProc()) return false;
    return isAlive(pid); // no /proc (macOS): alive is the best we know
  }
}

function existsProc(): boolean {
  try {
    readFileSync("/proc/self/cmdline");
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
