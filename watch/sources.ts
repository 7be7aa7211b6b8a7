// Where the view's rows come from. On the reference engine (plain Postgres): a poll, with
// `lab.now` set to the wall clock first. On Materialize: SUBSCRIBE to classifier_metrics on a
// dedicated connection, applying the changes it sends (and a plain poll of the optional views).
// The Materialize path cannot run on a machine without Docker; it is kept thin on purpose.

import { readFileSync } from "node:fs";
import pg from "pg";
import { applyChanges, type Change } from "./changes.ts";
import type { MetricsRow } from "./model.ts";
import type { ViewRow } from "./render.ts";

const sql = (name: string) => readFileSync(new URL(`./sql/${name}`, import.meta.url), "utf8");
const SQL = {
  metrics: sql("latest-metrics.sql"),
  newestRows: sql("newest-rows.sql"),
  presentViews: sql("present-views.sql"),
  setLabNow: sql("set-lab-now.sql"),
  referenceSession: sql("reference-session.sql"),
};

/** Shown when they exist, in this order (another branch of the lab may add them). */
export const SIGNAL_VIEWS = ["model_quality_metrics", "feature_drift", "ab_test_metrics", "pipeline_health"] as const;
export const ALERTS_VIEW = "monitoring_alerts";

export type Engine = "reference" | "materialize";

export interface Readings {
  metrics: MetricsRow[];
  /** Newest rows per optional view that exists. */
  others: Map<string, ViewRow[]>;
}

export interface Source {
  engine: Engine;
  presentViews: readonly string[];
  read(): Promise<Readings>;
  close(): Promise<void>;
}

export interface SourceOptions {
  /** The time the reference engine is asked about (ISO-8601); default the wall clock. The bench
   *  (scripts/bench-sql.ts) reads a replay this way; Materialize ignores it (mz_now() is its own). */
  labNow?: string;
}

export async function openSource(url: string, warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  options: SourceOptions = {}): Promise<Source> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const engine = await detectEngine(client);
    const { rows } = await client.query<{ name: string }>(SQL.presentViews, [[...SIGNAL_VIEWS, ALERTS_VIEW]]);
    const present = [...SIGNAL_VIEWS, ALERTS_VIEW].filter((name) => rows.some((row) => row.name === name));
    const reported = new Map<string, string>();
    const readNewest = (on: pg.Client, view: string) => readNewestRows(on, view, reported, warn);
    if (engine === "reference") {
      return await referenceSource(url, client, present, readNewest, options.labNow);
    }
    const readOthers = async () => new Map(await Promise.all(present.map(async (view) => [view, await readNewest(client, view)] as const)));
    return await materializeSource(url, client, present, readOthers);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

export async function detectEngine(client: pg.Client): Promise<Engine> {
  try {
    await client.query("select mz_version()");
    return "materialize";
  } catch {
    return "reference";
  }
}

/**
 * The reference engine computes a view when it is read, one backend per connection: the reads of
 * one refresh are shared by READERS connections, all set to the same lab.now, so two cores
 * compute two views at once (the slowest view, not the sum of all, sets the refresh time).
 */
const READERS = 2;

async function referenceSource(url: string, first: pg.Client, present: readonly string[],
  readNewest: (on: pg.Client, view: string) => Promise<ViewRow[]>, labNow: string | undefined): Promise<Source> {
  const clients = [first];
  const close = () => Promise.all(clients.map((c) => c.end().catch(() => {}))).then(() => {});
  try {
    while (clients.length < READERS) {
      const client = new pg.Client({ connectionString: url });
      clients.push(client);
      await client.connect();
    }
    for (const client of clients) await client.query(SQL.referenceSession);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    engine: "reference",
    presentViews: present,
    async read() {
      const { rows } = await first.query<{ lab_now: string }>(SQL.setLabNow, [labNow ?? null]);
      const now = rows[0]?.lab_now ?? null;
      let metrics: MetricsRow[] = [];
      const others = new Map<string, ViewRow[]>(present.map((view) => [view, []]));
      const tasks: Array<(on: pg.Client) => Promise<void>> = [
        async (on) => void (metrics = (await on.query<MetricsRow>(SQL.metrics)).rows),
        ...present.map((view) => async (on: pg.Client) => void others.set(view, await readNewest(on, view))),
      ];
      await Promise.all(clients.map(async (client, i) => {
        if (i > 0) await client.query(SQL.setLabNow, [now]);
        for (let task = tasks.shift(); task; task = tasks.shift()) await task(client);
      }));
      return { metrics, others };
    },
    close,
  };
}

/** The newest-rows query for one optional view (every VIEW_NAME, the header's too, is the quoted name). */
export function newestRowsQuery(view: string): string {
  return SQL.newestRows.replaceAll("VIEW_NAME", pg.escapeIdentifier(view));
}

/**
 * The newest rows of one optional view. One that cannot be read shows no rows, and its error is
 * reported once (until it changes): the classifier lines never wait on an optional view.
 */
async function readNewestRows(client: pg.Client, view: string, reported: Map<string, string>,
  warn: (line: string) => void): Promise<ViewRow[]> {
  try {
    const { rows } = await client.query<ViewRow>(newestRowsQuery(view));
    reported.delete(view);
    return rows;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (reported.get(view) !== message) warn(`watch: ${view} could not be read, shown empty: ${message}`);
    reported.set(view, message);
    return [];
  }
}

/** SUBSCRIBE: a snapshot, then (mz_diff, row) changes; the current rows are their running sum. */
async function materializeSource(url: string, pollClient: pg.Client, present: readonly string[],
  readOthers: () => Promise<Map<string, ViewRow[]>>): Promise<Source> {
  const subscriber = new pg.Client({ connectionString: url });
  await subscriber.connect();
  await subscriber.query("begin");
  await subscriber.query(`declare c cursor for subscribe (${SQL.metrics}) with (snapshot = true)`);
  const current = new Map<string, { row: MetricsRow; count: number }>();
  return {
    engine: "materialize",
    presentViews: present,
    async read() {
      const { rows } = await subscriber.query<Change<MetricsRow>>("fetch all c with (timeout = '1s')");
      return { metrics: applyChanges(current, rows), others: await readOthers() };
    },
    async close() {
      await subscriber.end().catch(() => {});
      await pollClient.end();
    },
  };
}
