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

export async function openSource(url: string, warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<Source> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const engine = await detectEngine(client);
    const { rows } = await client.query<{ name: string }>(SQL.presentViews, [[...SIGNAL_VIEWS, ALERTS_VIEW]]);
    const present = [...SIGNAL_VIEWS, ALERTS_VIEW].filter((name) => rows.some((row) => row.name === name));
    const reported = new Map<string, string>();
    const readOthers = () => readNewestRows(client, present, reported, warn);
    if (engine === "reference") {
      await client.query(SQL.referenceSession);
      return referenceSource(client, present, readOthers);
    }
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

function referenceSource(client: pg.Client, present: readonly string[], readOthers: () => Promise<Map<string, ViewRow[]>>): Source {
  return {
    engine: "reference",
    presentViews: present,
    async read() {
      await client.query(SQL.setLabNow);
      const metrics = (await client.query<MetricsRow>(SQL.metrics)).rows;
      return { metrics, others: await readOthers() };
    },
    close: () => client.end(),
  };
}

/** The newest-rows query for one optional view (every VIEW_NAME, the header's too, is the quoted name). */
export function newestRowsQuery(view: string): string {
  return SQL.newestRows.replaceAll("VIEW_NAME", pg.escapeIdentifier(view));
}

/**
 * The newest rows of each optional view. One that cannot be read shows no rows, and its error is
 * reported once (until it changes): the classifier lines never wait on an optional view.
 */
async function readNewestRows(client: pg.Client, views: readonly string[], reported: Map<string, string>,
  warn: (line: string) => void): Promise<Map<string, ViewRow[]>> {
  const out = new Map<string, ViewRow[]>();
  for (const view of views) {
    try {
      out.set(view, (await client.query<ViewRow>(newestRowsQuery(view))).rows);
      reported.delete(view);
    } catch (error) {
      out.set(view, []);
      const message = error instanceof Error ? error.message : String(error);
      if (reported.get(view) !== message) warn(`watch: ${view} could not be read, shown empty: ${message}`);
      reported.set(view, message);
    }
  }
  return out;
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
