// No acknowledged write is lost: a Postgres crash (`pg_ctl stop -m immediate`) in the middle of a
// fast run, on a private server started by the lab's own scripts/services/start-postgres.sh
// (its own state dir and free port, so no other test's server goes away).
//
// The generator counts a lead as written only once its batch's transaction has committed. After
// the crash and a restart, every lead it counted must be in the table, and a rerun must continue
// after them without a gap or a duplicate. This only holds on a crash-safe server: with
// LAB_PG_FAST=1 (fsync and synchronous_commit off) Postgres acknowledges commits before they are
// on disk, so the test refuses such a server rather than pass by luck.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadTestServicesConfig } from "../../config/test-services.ts";
import { labDatabase } from "../helpers/lab-database.ts";
import { withClient } from "../helpers/postgres.ts";
import { privatePostgres } from "../helpers/private-services.ts";
import { repoRoot, runTool } from "../helpers/run-tool.ts";

const hasPostgresBinaries =
  spawnSync("bash", ["-c", "source scripts/services/lib.sh && [[ -n \"$(pg_bindir)\" ]]"], { cwd: repoRoot }).status === 0;
if (!hasPostgresBinaries) {
  if (loadTestServicesConfig().required.has("postgres")) {
    throw new Error("LAB_REQUIRE names postgres, but no initdb/pg_ctl was found for the crash test (apt-get install postgresql)");
  }
  process.stderr.write("[skip] postgres crash test: no initdb/pg_ctl found (apt-get install postgresql)\n");
}

interface LogLine { msg?: string; leads?: number; leadsWritten?: number; nextLeadId?: number }

const logLines = (stderr: string): LogLine[] =>
  stderr.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as LogLine);

/** The most leads the generator ever reported as written: its throughput, done or fatal lines. */
const leadsReported = (stderr: string) =>
  Math.max(0, ...logLines(stderr).map((l) => l.leadsWritten ?? l.leads ?? 0));

const leadIds = (url: string) =>
  withClient(url, async (c) =>
    (await c.query<{ n: number; distinct_ids: number; max_id: number | null }>(
      "select count(*)::int as n, count(distinct id)::int as distinct_ids, max(id)::int as max_id from leads",
    )).rows[0]!);

describe.skipIf(!hasPostgresBinaries)("the load generator when Postgres crashes mid-run", () => {
  it("loses no lead it counted as written, and a rerun continues after them without duplicates", { timeout: 170_000 }, async () => {
    const server = await privatePostgres(); // stopped and purged by an onTestFinished hook
    const settings = await withClient(server.adminUrl, async (c) => ({
      fsync: (await c.query<{ fsync: string }>("show fsync")).rows[0]?.fsync,
      synchronous_commit: (await c.query<{ synchronous_commit: string }>("show synchronous_commit")).rows[0]?.synchronous_commit,
    }));
    expect(settings, "refusing a server that is not crash-safe (start-postgres.sh without LAB_PG_FAST)")
      .toEqual({ fsync: "on", synchronous_commit: "on" });
    const db = await labDatabase(server.adminUrl); // the server is purged afterwards: no drop needed

    let crashed: Promise<void> | undefined;
    const args = ["--mode", "fast", "--sink", "postgres", "--seed", "21", "--batch-size", "500", "--stats-interval-seconds", "1"];
    const run = await runTool("loadgen/main.ts", [...args, "--leads", "2000000", "--connect-timeout-seconds", "3"], {
      env: { POSTGRES_URL: db.loadgenUrl },
      timeoutMs: 120_000,
      // Crash once the generator has reported a few batches written, in the middle of the run.
      onStderr: (stderr) => {
        if (!crashed && leadsReported(stderr) >= 3_000) crashed = server.crash();
      },
    });
    expect(crashed, `the generator never reported 3000 leads written:\n${run.stderr.slice(-2000)}`).toBeDefined();
    await crashed;
    expect(run.code, "the generator gives up once Postgres stays down past its connect timeout").toBe(1);
    const acknowledged = leadsReported(run.stderr);

    await server.start();
    const afterCrash = await leadIds(db.adminUrl);
    expect(afterCrash.n, `leads in the table after the crash vs. ${acknowledged} the generator counted as written`)
      .toBeGreaterThanOrEqual(acknowledged);
    expect(afterCrash).toEqual({ n: afterCrash.n, distinct_ids: afterCrash.n, max_id: afterCrash.n });

    const rerun = await runTool("loadgen/main.ts", [...args, "--leads", "1000"], { env: { POSTGRES_URL: db.loadgenUrl } });
    expect(rerun.code, rerun.stderr.slice(-2000)).toBe(0);
    expect(logLines(rerun.stderr).find((l) => l.msg === "resuming after earlier runs")?.nextLeadId).toBe(afterCrash.n + 1);
    const n = afterCrash.n + 1000;
    expect(await leadIds(db.adminUrl)).toEqual({ n, distinct_ids: n, max_id: n });
  });
});
