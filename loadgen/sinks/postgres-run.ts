// Start-up writes of a run on Postgres, in one transaction: find or start the run
// (loadgen.runs), then its incidents and the experiment design. The model reference is
// written on its own (writeReference), once computed. Every statement is idempotent, so
// running it twice leaves the same rows.

import type pg from "pg";
import { designRows, incidentRows, newRunAnchor, runKeyOf, type RunAnchor, type RunFacts } from "../run-record.ts";
import type { ReferenceRow } from "../sim/reference.ts";
import { readSql } from "./sql/read-sql.ts";

const sql = {
  currentRun: readSql("current-run.sql"),
  insertRun: readSql("insert-run.sql"),
  insertIncidents: readSql("insert-incidents.sql"),
  upsertDesign: readSql("upsert-experiment-design.sql"),
  upsertReference: readSql("upsert-model-reference.sql"),
};

export async function recordRun(c: pg.Client, facts: RunFacts): Promise<RunAnchor> {
  const runKey = runKeyOf(facts);
  const { rows } = await c.query<{ run_id: string; run_key: string; started_at: Date }>(sql.currentRun);
  const current = rows[0];
  let anchor: RunAnchor;
  if (current && current.run_key === runKey) {
    anchor = { runId: current.run_id, startedAtMs: current.started_at.getTime(), resumed: true };
  } else {
    anchor = newRunAnchor(facts);
    await c.query(sql.insertRun, [
      anchor.runId, runKey, facts.scenario.name, new Date(anchor.startedAtMs).toISOString(), JSON.stringify(facts.scenario.incidents),
    ]);
  }
  const incidents = incidentRows(facts, anchor);
  if (incidents.length > 0) {
    await c.query(sql.insertIncidents, [
      anchor.runId, incidents.map((i) => i.incident_id), incidents.map((i) => i.kind), incidents.map((i) => i.starts_at),
      incidents.map((i) => i.ends_at), incidents.map((i) => JSON.stringify(i.params)),
    ]);
  }
  const design = designRows(facts.controlShare);
  await c.query(sql.upsertDesign, [design.map((d) => d.experiment_bucket), design.map((d) => d.expected_share)]);
  return anchor;
}

/** One statement, so atomic without a transaction of its own. */
export async function writeReference(c: pg.Client, reference: readonly ReferenceRow[]): Promise<void> {
  await c.query(sql.upsertReference, [
    reference.map((r) => r.model_version), reference.map((r) => r.feature), reference.map((r) => r.value),
    reference.map((r) => r.reference_count),
  ]);
}
