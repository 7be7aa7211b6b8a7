// Setting the experiment's designed split (table experiment_design) in a test or benchmark
// database. No vitest import: `npm run bench:sql` uses it too.

import { readFileSync } from "node:fs";
import type pg from "pg";

/** The designed share of each bucket, as in table experiment_design. */
export type Design = Partial<Record<"control" | "experiment", number>>;

const SET_DESIGN_SQL = readFileSync(new URL("./sql/set-experiment-design.sql", import.meta.url), "utf8");

/** Replaces the experiment's design (an empty design leaves the table empty). */
export async function setDesign(client: pg.Client, design: Design): Promise<void> {
  await client.query("delete from public.experiment_design");
  const entries = Object.entries(design);
  if (entries.length > 0) await client.query(SET_DESIGN_SQL, [entries.map(([b]) => b), entries.map(([, share]) => share)]);
}

