// The lab's record of itself (scripts/lab/record.ts), the state folder's lock: a record left by
// a lab that is gone is taken over with its services, a PID that now runs another program does
// not count as a lab, and a running lab keeps a second one out.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { claimRecord, LabBusyError } from "../../scripts/lab/record.ts";

const dirs: string[] = [];
const stateDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "lab-record-"));
  dirs.push(dir);
  return dir;
};
const quiet = () => {};
const writeRecord = (dir: string, record: object) => writeFileSync(join(dir, "lab.json"), JSON.stringify(record));
const readRecord = (dir: string) => JSON.parse(readFileSync(join(dir, "lab.json"), "utf8")) as Record<string, unknown>;

/** The PID of a process that has exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  return Number(result.stdout.trim());
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the lab's record", () => {
  it("is created with this process's PID and deleted on release", async () => {
    const dir = stateDir();
    const claimed = await claimRecord(dir, quiet);
    expect(readRecord(dir)).toEqual({ pid: process.pid, services: [], children: {} });
    claimed.update({ services: ["postgres"] });
    expect(readRecord(dir).services).toEqual(["postgres"]);
    claimed.release();
    expect(existsSync(join(dir, "lab.json"))).toBe(false);
  });

  it("takes over the services of a lab that died without cleaning up", async () => {
    const dir = stateDir();
    const gone = deadPid();
    writeRecord(dir, { pid: gone, services: ["postgres", "kafka"], children: {} });
    const lines: string[] = [];
    const claimed = await claimRecord(dir, (line) => lines.push(line));
    expect(claimed.inherited).toEqual(["postgres", "kafka"]);
    expect(readRecord(dir).pid).toBe(process.pid);
    expect(lines.join("\n")).toContain(`the previous lab (PID ${gone}) ended without stopping what it started`);
  });

  it("counts a recorded PID that now runs another program as gone", async () => {
    const dir = stateDir();
    writeRecord(dir, { pid: process.pid, services: ["kafka"], children: {} }); // this test runner is no lab
    expect((await claimRecord(dir, quiet)).inherited).toEqual(["kafka"]);
  });

  it("lets exactly one of two reruns take over a dead lab's record, even while they wait for its orphans", async () => {
    const dir = stateDir();
    // An orphan of the dead lab, still running for 2 s: both reruns find the stale record
    // and the takeover waits for it.
    const orphan = spawn(process.execPath, ["-e", "setTimeout(() => {}, 2000)", "loadgen/main.ts"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => orphan.once("spawn", resolve));
      writeRecord(dir, { pid: deadPid(), services: ["postgres"], children: { loadgen: { pid: orphan.pid, entry: "loadgen/main.ts" } } });
      const claimer = new URL("./support/claim-lab-record.ts", import.meta.url).pathname;
      const claim = () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ["--import", "tsx", claimer, dir, "scripts/lab/main.ts"], { stdio: ["ignore", "pipe", "inherit"] });
          let out = "";
          child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
          child.once("error", reject);
          child.once("exit", () => resolve(out.trim()));
        });
      const answers = await Promise.all([claim(), claim()]);
      expect(answers.sort()).toEqual(["busy", "claimed"]);
    } finally {
      orphan.kill("SIGKILL");
    }
  }, 30_000);

  it("keeps a second lab out while the recorded one runs", async () => {
    const dir = stateDir();
    // A process whose command line names the lab's entry point, as `npm run lab`'s node does.
    const lab = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)", "scripts/lab/main.ts"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => lab.once("spawn", resolve));
      writeRecord(dir, { pid: lab.pid, services: ["postgres"], children: {} });
      const failure = await claimRecord(dir, quiet).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(LabBusyError);
      expect((failure as Error).message).toContain(`another lab (PID ${lab.pid}) runs with the state folder ${dir}`);
      expect(readRecord(dir).pid).toBe(lab.pid); // left as it was
    } finally {
      lab.kill("SIGKILL");
    }
  });
});
