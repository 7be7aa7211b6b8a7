// `npm run evaluate` as a user runs it: a scenario file of the spec's format, scored in a fresh
// reference engine; a second run into the same database resets it and gives the same answer;
// a database that evaluate did not prepare is refused (exit 2, naming --url). A short, slow
// run (20 leads/s for 90 s) keeps it cheap: this checks the command, not the rules' margins
// (test/e2e/evaluate-scenarios.test.ts does that at 80 leads/s).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, withClient } from "../helpers/postgres.ts";
import { runTool } from "../helpers/run-tool.ts";
import { usePostgres } from "../helpers/services.ts";

const pg = await usePostgres();
const dir = mkdtempSync(join(tmpdir(), "lab-evaluate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// An outage from 30 s to 60 s. pipeline_health's 1-minute windows end on multiples of 10 s; the
// window ending at 40 s is the first holding unscored leads (those of 30..40 s): a quarter of
// its leads (0..40 s) lack a prediction, below the default rule's 0.95, so the delay is 10 s.
const SCENARIO = `name: short-outage
description: No prediction for 30 s from 30 s.
incidents:
  - kind: prediction_outage
    at: 30s
    for: 30s
    params: { drop_share: 1.0 }
`;

describe.skipIf(!pg.available)("npm run evaluate", () => {
  it("scores a scenario file, prints the issue's JSON keys, and gives the same answer when run again into its own database", async () => {
    if (!pg.available) return;
    const file = join(dir, "short-outage.yaml");
    writeFileSync(file, SCENARIO);
    await using db = await createTestDatabase(pg.adminUrl);
    const args = ["--scenario", file, "--seed", "7", "--duration", "90s", "--rate", "20", "--url", db.url, "--json"];
    const first = await runTool("evaluate/main.ts", args, { timeoutMs: 170_000 });
    expect(first.code, first.stderr).toBe(0);
    const run = JSON.parse(first.stdout) as Record<string, unknown> & { incidents: Record<string, unknown>[] };
    expect(Object.keys(run).sort()).toEqual(["false_alerts", "incidents", "scenario", "seed"]);
    expect(run.scenario).toBe("short-outage");
    expect(run.seed).toBe("7");
    expect(run.incidents).toHaveLength(1);
    expect(run.incidents[0]).toMatchObject({
      kind: "prediction_outage", starts_at: "2026-01-01T00:00:30.000Z", ends_at: "2026-01-01T00:01:00.000Z",
      detected_at: "2026-01-01T00:00:40.000Z", delay_seconds: 10,
    });
    expect(run.incidents[0]?.rules).toContain("prediction_coverage_drop");
    expect(run.false_alerts).toEqual([]);

    const second = await runTool("evaluate/main.ts", args, { timeoutMs: 170_000 });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const leads = await withClient(db.url, async (c) => Number((await c.query("select count(*) as n from leads")).rows[0].n));
    expect(leads).toBe(90 * 20); // one run's leads, not two
  });

  it("refuses a database it did not prepare, naming --url, and leaves its tables alone", async () => {
    if (!pg.available) return;
    await using db = await createTestDatabase(pg.adminUrl);
    await withClient(db.url, (c) => c.query("create table precious (id int); insert into precious values (1)"));
    const result = await runTool("evaluate/main.ts", ["--scenario", "steady", "--duration", "60s", "--url", db.url], { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--url .*an empty database, or one that npm run evaluate prepared before/);
    const kept = await withClient(db.url, async (c) => Number((await c.query("select count(*) as n from precious")).rows[0].n));
    expect(kept).toBe(1);
  });

  it("refuses an incident after the run's end before writing anything (exit 2)", async () => {
    if (!pg.available) return;
    const result = await runTool("evaluate/main.ts", ["--scenario", "split-bug", "--duration", "5m", "--url", "postgres://nobody@127.0.0.1:1/none"], { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/incident 1 \(split_bug\) at = 360; allowed: a start before the run's end at 300 s/);
  });
});
