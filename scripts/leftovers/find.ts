// What a test run can leave behind, found from outside the run: Kafka topics, processes of
// private servers and lab tools, and private state dirs. Read by scripts/leftovers.ts.

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { Kafka, logLevel } from "kafkajs";

/** The temp-dir prefix of the private servers tests start (test/helpers/private-services.ts). */
export const PRIVATE_STATE_PREFIX = "ml-monitoring-lab-test-";

/** The lab's command-line tools as tests run them (test/helpers/run-tool.ts), and vitest itself
 *  (its workers retitle themselves `node (vitest 1)`). */
const LAB_TOOL = /(^|\s|\/)(loadgen\/main\.ts|scripts\/migrate\.ts|metabase\/main\.ts|scripts\/bench\.ts)(\s|$)|\bvitest\b/;

export interface ProcessInfo {
  pid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
  /** The working directory, when it can be read. */
  cwd: string | undefined;
}

/**
 * The processes a test run left: a private server (its command line names a private state dir),
 * or a lab tool or a vitest worker running in this checkout.
 */
export function leftoverProcesses(processes: ProcessInfo[], repoRoot: string, ownPid: number): ProcessInfo[] {
  return processes.filter((p) =>
    p.pid !== ownPid && (p.command.includes(PRIVATE_STATE_PREFIX) || (p.cwd === repoRoot && LAB_TOOL.test(p.command))));
}

/** Topics on the broker now that were not there before the run (internal `__` topics aside). */
export function newTopics(before: readonly string[], now: readonly string[]): string[] {
  const known = new Set(before);
  return now.filter((topic) => !known.has(topic) && !topic.startsWith("__")).sort();
}

/** Every process this user can see, from /proc (Linux). */
export function runningProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      let cwd: string | undefined;
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        cwd = undefined; // another user's process
      }
      if (command) processes.push({ pid: Number(entry), command, cwd });
    } catch {
      // Gone while we looked.
    }
  }
  return processes;
}

/** Private state dirs left in the temp dir. */
export function leftoverStateDirs(dir = tmpdir()): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(PRIVATE_STATE_PREFIX)).map((name) => `${dir}/${name}`);
}

export async function listTopics(brokers: string[]): Promise<string[]> {
  const admin = new Kafka({ clientId: "lab-leftovers", brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}
