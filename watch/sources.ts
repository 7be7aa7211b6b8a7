// Where the view's rows come from, one connection per panel so that a slow view never delays
// another: the headline (classifier_metrics) on its own connection, each optional view (the
// signals, the alerts) on one of its own. On the reference engine (plain Postgres): a poll, with
// `lab.now` set to the wall clock first on that connection. On Materialize: SUBSCRIBE to
// classifier_metrics, applying the changes it sends, and a plain poll of the optional views.
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

/** A view's rows and the time they describe: the reference engine's lab.now, else when the read began. */
export interface Reading<T> {
  rows: T[];
  asOfMs: number;
}

export interface Source {
  engine: Engine;
  presentViews: readonly string[];
  /** classifier_metrics' newest windows (fails when the engine cannot be read). */
  readHeadline(): Promise<Reading<MetricsRow>>;
  /** The newest rows of one present view, on that view's own connection; a view that cannot be
   *  read shows no rows and is reported once (until its error changes), never thrown. */
  readPanel(view: string): Promise<Reading<ViewRow>>;
  /** Ends every connection at once: a read in flight is abandoned (its promise rejects). */
  close(): Promise<void>;
}

export interface SourceOptions {
  /** The time the reference engine is asked about (ISO-8601); default the wall clock. The bench
   *  (scripts/bench-sql.ts) and tests read a replay this way; Materialize ignores it (mz_now() is its own). */
  labNow?: string;
}

export async function openSource(url: string, warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  options: SourceOptions = {}): Promise<Source> {
  const clients: pg.Client[] = [];
  // A connection the server dropped (a restart, a terminated backend): without a listener its
  // 'error' event would end the process; it is opened again at its next read instead.
  const lost = new Set<pg.Client>();
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => lost.add(client));
    client.on("end", () => lost.add(client));
    clients.push(client);
    await client.connect();
    return client;
  };
  let closed = false;
  const close = () => {
    closed = true;
    return Promise.all(clients.map((c) => c.end().catch(() => {}))).then(() => {});
  };
  try {
    const first = await connect();
    const engine = await detectEngine(first);
    const { rows } = await first.query<{ name: string }>(SQL.presentViews, [[...SIGNAL_VIEWS, ALERTS_VIEW]]);
    const present = [...SIGNAL_VIEWS, ALERTS_VIEW].filter((name) => rows.some((row) => row.name === name));
    const panels = new Map<string, pg.Client>();
    for (const view of present) panels.set(view, await connect());
    if (engine === "reference") {
      for (const client of clients) await client.query(SQL.referenceSession);
    }
    const labNow = engine === "reference" ? options.labNow ?? null : undefined;
    /** The connection itself, or (reference engine) a new one in its place when the server dropped it. */
    const usable = async (client: pg.Client): Promise<pg.Client> => {
      if (!lost.has(client) || closed || engine !== "reference") return client;
      const replacement = await connect();
      await replacement.query(SQL.referenceSession);
      return replacement;
    };
    let headlineClient = first;
    const readHeadline = engine === "reference"
      ? async () => referenceHeadline((headlineClient = await usable(headlineClient)), labNow ?? null)
      : await materializeHeadline(first);
    const panelClient = async (view: string) => {
      const client = await usable(panels.get(view) ?? missingPanel(view));
      panels.set(view, client);
      return client;
    };
    const reported = new Map<string, string>();
    return {
      engine,
      presentViews: present,
      readHeadline,
      readPanel: (view) => panelClient(view)
        .then((client) => readNewestRows(client, view, labNow, reported, (line) => closed || warn(line)))
        .then((reading) => (closed ? Promise.reject(new Error("watch: the source was closed during the read")) : reading)),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function missingPanel(view: string): never {
  throw new Error(`watch: ${view} is not one of the views this source found at start`);
}

export async function detectEngine(client: pg.Client): Promise<Engine> {
  try {
    await client.query("select mz_version()");
    return "materialize";
  } catch {
    return "reference";
  }
}

/** Sets lab.now on this connection (the given time, else the wall clock) and returns it in ms. */
async function setLabNow(client: pg.Client, labNow: string | null): Promise<number> {
  const { rows } = await client.query<{ lab_now: string }>(SQL.setLabNow, [labNow]);
  return new Date(rows[0]?.lab_now ?? Date.now()).getTime();
}

async function referenceHeadline(client: pg.Client, labNow: string | null): Promise<Reading<MetricsRow>> {
  const asOfMs = await setLabNow(client, labNow);
  return { rows: (await client.query<MetricsRow>(SQL.metrics)).rows, asOfMs };
}

/** The newest-rows query for one optional view (every VIEW_NAME, the header's too, is the quoted name). */
export function newestRowsQuery(view: string): string {
  return SQL.newestRows.replaceAll("VIEW_NAME", pg.escapeIdentifier(view));
}

/** undefined labNow: Materialize (no lab.now to set); null: the reference engine at the wall clock. */
async function readNewestRows(client: pg.Client, view: string, labNow: string | null | undefined,
  reported: Map<string, string>, warn: (line: string) => void): Promise<Reading<ViewRow>> {
  const startedMs = Date.now();
  try {
    const asOfMs = labNow === undefined ? startedMs : await setLabNow(client, labNow);
    const { rows } = await client.query<ViewRow>(newestRowsQuery(view));
    reported.delete(view);
    return { rows, asOfMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (reported.get(view) !== message) warn(`watch: ${view} could not be read, shown empty: ${message}`);
    reported.set(view, message);
    return { rows: [], asOfMs: startedMs };
  }
}

/** SUBSCRIBE: a snapshot, then (mz_diff, row) changes; the current rows are their running sum. */
async function materializeHeadline(subscriber: pg.Client): Promise<() => Promise<Reading<MetricsRow>>> {
  await subscriber.query("begin");
  await subscriber.query(`declare c cursor for subscribe (${SQL.metrics}) with (snapshot = true)`);
  const current = new Map<string, { row: MetricsRow; count: number }>();
  return async () => {
    const { rows } = await subscriber.query<Change<MetricsRow>>("fetch all c with (timeout = '1s')");
    return { rows: applyChanges(current, rows), asOfMs: Date.now() };
  };
}
