// npm run bench:sql: how long each serving view takes on the reference engine (plain Postgres
// running the portable SQL) with 10 minutes of data at 80 leads/s — 48,000 leads from the load
// generator's simulation core (profile default) — evaluated at lab.now = the end of the data,
// as a dashboard refreshing every few seconds would ask. Prints, per view, the median, min and
// max time of several runs (after one warm-up) and the rows the view keeps, then `npm run watch`'s
// own reads at the same lab.now: its headline (classifier_metrics, read every refresh) alone and
// while every panel is being read, each panel on its own connection as the watch reads them, and
// the slowest panel (how old a panel's reading gets at most), then the server's
// durability settings. Views are found by name; one missing on this branch is skipped with a
// note. A benchmark: it measures and asserts nothing. Uses LAB_PG_URL, else starts the lab's
// own Postgres (scripts/services/start-postgres.sh).

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { loadTestServicesConfig } from "../config/test-services.ts";
import { createTestDatabase } from "../test/helpers/postgres.ts";
import { setDesign } from "../test/sql/support/experiment-design.ts";
import { insertDataset, iso } from "../test/sql/support/dataset.ts";
import { readEnv } from "../config/env.ts";
import { migrateConfig } from "../config/migrate.ts";
import { LOADGEN_PASSWORD } from "../test/helpers/lab-database.ts";
import { runMigration } from "./migrate/run.ts";
import { simulateDataset } from "../test/sql/support/simulated-dataset.ts";
import { makeProfile } from "../loadgen/sim/profiles/index.ts";
import { referenceDistribution } from "../loadgen/sim/reference.ts";
import { openSource } from "../watch/sources.ts";

/** The views a dashboard reads, in the order they are printed. */
const SERVING_VIEWS = [
  "classifier_metrics",
  "prediction_message_quality",
  "model_quality_metrics",
  "model_quality_reliability",
  "feature_drift",
  "ab_test_metrics",
  "pipeline_health",
  "monitoring_alerts",
];

const options = z.object({
  leads: z.coerce.number().int().positive({ error: "--leads must be a positive whole number, e.g. 48000" }),
  rate: z.coerce.number().positive({ error: "--rate must be a positive number of leads per second, e.g. 80" }),
  runs: z.coerce.number().int().min(1, { error: "--runs must be a whole number of at least 1, e.g. 5" }),
  seed: z.string().min(1, { error: "--seed must not be empty" }),
});
const { values } = parseArgs({
  options: { leads: { type: "string", default: "48000" }, rate: { type: "string", default: "80" }, runs: { type: "string", default: "5" }, seed: { type: "string", default: "bench-sql" } },
});
const parsed = options.safeParse(values);
if (!parsed.success) {
  console.error(`bench:sql: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  process.exit(2);
}
const config = parsed.data;
const sql = (name: string) => readFileSync(new URL(`./bench-sql/${name}`, import.meta.url), "utf8");

const pgUrl = loadTestServicesConfig().pgUrl ?? startPostgres();
await using db = await createTestDatabase(pgUrl);
await runMigration(migrateConfig({ target: "reference", url: db.url }, { ...readEnv(), LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD }), { log: () => {} });
const client = new pg.Client({ connectionString: db.url });
await client.connect();
try {
  const startMs = Date.UTC(2026, 0, 1);
  const run = simulateDataset({ profile: "default", seed: config.seed, leads: config.leads, ratePerSecond: config.rate, startMs });
  await insertDataset(client, run.data);
  await setDesign(client, { control: 0.2, experiment: 0.8 }); // the default profile's split
  // The model's reference, as the generator writes it at start: feature_drift computes PSI.
  const reference = referenceDistribution(makeProfile("default"));
  await client.query(readFileSync(new URL("../loadgen/sinks/sql/upsert-model-reference.sql", import.meta.url), "utf8"), [
    reference.map((r) => r.model_version), reference.map((r) => r.feature), reference.map((r) => r.value), reference.map((r) => r.reference_count),
  ]);
  await client.query("analyze"); // as autovacuum would soon after a load
  const nowMs = run.lastCreatedMs;
  console.log(`data: ${run.data.leads.length} leads over ${((nowMs - startMs) / 1000).toFixed(0)} s (${config.rate}/s, profile default, seed ${config.seed}); lab.now = ${iso(nowMs)}`);
  await client.query("select set_config('lab.now', $1, false)", [iso(nowMs)]);

  const present = new Set((await client.query<{ viewname: string }>(sql("views-present.sql"), [SERVING_VIEWS])).rows.map((r) => r.viewname));
  const rows: string[][] = [];
  for (const view of SERVING_VIEWS) {
    if (!present.has(view)) {
      console.log(`note: ${view} is not on this branch; skipped`);
      continue;
    }
    const { timesMs, rowCount } = await timeView(client, view, config.runs);
    rows.push([view, String(rowCount), ...spread(timesMs)]);
  }
  const watch = await timeWatchReads(db.url, iso(nowMs), config.runs);
  rows.push(["watch headline (classifier_metrics), alone", "", ...spread(watch.headlineAloneMs)]);
  rows.push([`watch headline while the panels are read (${watch.headlineDuringPanelsMs.length} reads)`, "", ...spread(watch.headlineDuringPanelsMs)]);
  rows.push([`watch slowest panel, all read at once (${[...watch.slowestPanelViews].join(", ")})`, "", ...spread(watch.slowestPanelMs)]);
  printTable(["view", "rows", `median ms (${config.runs} runs)`, "min ms", "max ms"], rows);

  const settings = (await client.query(sql("durability.sql"))).rows[0] as Record<string, string>;
  console.log(`server: PostgreSQL ${settings.server_version}; fsync=${settings.fsync}, synchronous_commit=${settings.synchronous_commit}, shared_buffers=${settings.shared_buffers}, work_mem=${settings.work_mem}`);
  console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}); load average at the end ${loadavg().map((l) => l.toFixed(2)).join(", ")} (1, 5, 15 min)`);
} finally {
  await client.end();
}

/** One warm-up, then `runs` timed reads of every row of the view. */
async function timeView(c: pg.Client, view: string, runs: number): Promise<{ timesMs: number[]; rowCount: number }> {
  const query = `select * from ${pg.escapeIdentifier(view)}`;
  let rowCount = (await c.query(query)).rowCount ?? 0;
  const timesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    rowCount = (await c.query(query)).rowCount ?? 0;
    timesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { timesMs, rowCount };
}

interface WatchTimes {
  headlineAloneMs: number[];
  headlineDuringPanelsMs: number[];
  slowestPanelMs: number[];
  slowestPanelViews: Set<string>;
}

/**
 * The reads `npm run watch` makes (watch/sources.ts), with lab.now at the end of the data instead
 * of the wall clock: one warm-up, then `runs` rounds. A round times the headline alone, then
 * reads every panel at once (each on its own connection, as the watch does) while the headline is
 * read back to back on its own connection, as the watch keeps refreshing it during slow reads.
 */
async function timeWatchReads(url: string, labNow: string, runs: number): Promise<WatchTimes> {
  const source = await openSource(url, (line) => console.log(`note: ${line}`), { labNow });
  const timed = async <T>(read: () => Promise<T>) => {
    const started = process.hrtime.bigint();
    await read();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  try {
    await source.readHeadline();
    await Promise.all(source.presentViews.map((view) => source.readPanel(view)));
    const times: WatchTimes = { headlineAloneMs: [], headlineDuringPanelsMs: [], slowestPanelMs: [], slowestPanelViews: new Set() };
    for (let i = 0; i < runs; i++) {
      times.headlineAloneMs.push(await timed(() => source.readHeadline()));
      let panelsDone = false;
      const panels = Promise.all(source.presentViews.map(async (view) => ({ view, ms: await timed(() => source.readPanel(view)) })))
        .finally(() => void (panelsDone = true));
      while (!panelsDone) times.headlineDuringPanelsMs.push(await timed(() => source.readHeadline()));
      const slowest = (await panels).reduce((a, b) => (b.ms > a.ms ? b : a), { view: "none", ms: 0 });
      times.slowestPanelMs.push(slowest.ms);
      times.slowestPanelViews.add(slowest.view);
    }
    return times;
  } finally {
    await source.close();
  }
}

/** Median, min and max, formatted. */
function spread(timesMs: readonly number[]): string[] {
  const sorted = [...timesMs].sort((a, b) => a - b);
  return [fmt(median(sorted)), fmt(sorted[0] ?? 0), fmt(sorted.at(-1) ?? 0)];
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function fmt(ms: number): string {
  return ms.toFixed(0);
}

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const row of body) console.log(line(row));
}

function startPostgres(): string {
  const output = execFileSync("bash", ["scripts/services/start-postgres.sh"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const line = output.split("\n").find((l) => l.startsWith("LAB_PG_URL="));
  if (!line) throw new Error("start-postgres.sh printed no LAB_PG_URL=… line");
  return line.slice("LAB_PG_URL=".length);
}
