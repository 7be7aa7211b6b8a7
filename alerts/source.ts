// Where the firing alerts come from. The engine is told apart as `npm run watch` does
// (watch/sources.ts). On the reference engine (plain Postgres): a poll of
// alerts/sql/firing-alerts.sql with `lab.now` set to the wall clock first. On Materialize:
// SUBSCRIBE to the same query on a dedicated connection, no polling: each logical time the
// subscription reports becomes one reading. The Materialize path cannot run without Docker.

import { readFileSync } from "node:fs";
import pg from "pg";
import { applyChanges, type Change } from "../watch/changes.ts";
import { detectEngine, type Engine } from "../watch/sources.ts";
import type { FiringRow } from "./state.ts";

const sqlFile = (url: URL) => readFileSync(url, "utf8");
export const FIRING_ALERTS_SQL = sqlFile(new URL("./sql/firing-alerts.sql", import.meta.url));
const SET_LAB_NOW_SQL = sqlFile(new URL("../watch/sql/set-lab-now.sql", import.meta.url));
const REFERENCE_SESSION_SQL = sqlFile(new URL("../watch/sql/reference-session.sql", import.meta.url));

export interface AlertSource {
  engine: Engine;
  /** The firing rows, once per reading: one per poll, or one per logical time of a subscription. */
  read(): Promise<FiringRow[][]>;
  close(): Promise<void>;
}

export class MissingAlertsView extends Error {}

export async function openAlertSource(url: string): Promise<AlertSource> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const engine = await detectEngine(client);
    if (engine === "reference") await client.query(REFERENCE_SESSION_SQL);
    await probe(client, engine);
    return engine === "reference" ? referenceSource(client) : await materializeSource(url, client);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** Fails early, and clearly, where monitoring_alerts is not there yet. */
async function probe(client: pg.Client, engine: Engine): Promise<void> {
  if (engine === "reference") await client.query(SET_LAB_NOW_SQL, [null]);
  try {
    await client.query(`select * from (${FIRING_ALERTS_SQL}) as firing limit 0`);
  } catch (error) {
    if ((error as { code?: string }).code === "42P01") {
      throw new MissingAlertsView("the view monitoring_alerts does not exist here: run `npm run migrate` for this engine first (it creates alert_rules and monitoring_alerts)");
    }
    throw error;
  }
}

function referenceSource(client: pg.Client): AlertSource {
  return {
    engine: "reference",
    async read() {
      await client.query(SET_LAB_NOW_SQL, [null]);
      return [(await client.query<FiringRow>(FIRING_ALERTS_SQL)).rows];
    },
    close: () => client.end(),
  };
}

/**
 * SUBSCRIBE sends a snapshot, then (mz_timestamp, mz_diff, row) changes; the firing rows are their
 * running sum. With PROGRESS, a row marked mz_progressed says no change older than its timestamp
 * is still to come: only then is a time's state complete, and only then is it read.
 */
async function materializeSource(url: string, metadataClient: pg.Client): Promise<AlertSource> {
  await metadataClient.end();
  const subscriber = new pg.Client({ connectionString: url });
  await subscriber.connect();
  await subscriber.query("begin");
  await subscriber.query(`declare c cursor for subscribe (${FIRING_ALERTS_SQL}) with (snapshot = true, progress = true)`);
  const current = new Map<string, { row: FiringRow; count: number }>();
  let progress: Progress<FiringRow> = { pending: [], ready: [] };
  return {
    engine: "materialize",
    async read() {
      const { rows } = await subscriber.query<SubscribeRow<FiringRow>>("fetch all c with (timeout = '1s')");
      progress = completeChanges(progress.pending, rows);
      return changesByTime(progress.ready).map((changes) => applyChanges(current, changes));
    },
    close: () => subscriber.end(),
  };
}

/** A row of SUBSCRIBE ... WITH (PROGRESS): a change, or (mz_progressed) a progress mark with no data. */
export type SubscribeRow<T> = Change<T> & { mz_progressed: boolean };

export interface Progress<T> {
  /** Changes at times not yet complete, kept for the next fetch. */
  pending: Array<Change<T>>;
  /** Changes at complete times, to apply now. */
  ready: Array<Change<T>>;
}

/** Splits the changes held so far plus those fetched into complete times and the rest. */
export function completeChanges<T>(pending: ReadonlyArray<Change<T>>, fetched: ReadonlyArray<SubscribeRow<T>>): Progress<T> {
  let frontier: bigint | undefined;
  const changes = [...pending];
  for (const { mz_progressed: progressed, ...row } of fetched) {
    if (progressed) frontier = BigInt(row.mz_timestamp);
    else changes.push(row as unknown as Change<T>);
  }
  if (frontier === undefined) return { pending: changes, ready: [] };
  const isComplete = (change: Change<T>) => BigInt(change.mz_timestamp) < frontier;
  return { pending: changes.filter((c) => !isComplete(c)), ready: changes.filter(isComplete) };
}

/** Complete times may be several: each is one state of the view, in time order. */
export function changesByTime<T>(changes: ReadonlyArray<Change<T>>): Array<Array<Change<T>>> {
  const byTime = new Map<string, Array<Change<T>>>();
  for (const change of changes) {
    const time = String(change.mz_timestamp);
    const group = byTime.get(time) ?? [];
    group.push(change);
    byTime.set(time, group);
  }
  return [...byTime].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)).map(([, group]) => group);
}
