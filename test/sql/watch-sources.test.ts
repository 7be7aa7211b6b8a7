// The live terminal view's reads on the reference engine: every signal view the database has is
// read by its own name, and one that cannot be read never hides the classifier lines.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { newestRowsQuery, openSource, SIGNAL_VIEWS } from "../../watch/sources.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { usePostgres } from "../helpers/services.ts";
import { insertDataset, iso, truncateInputs } from "./support/dataset.ts";
import { aLead, aPrediction, at } from "./support/fixtures.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const db = await usePostgres();

describe.skipIf(!db.available)("npm run watch, reading the reference engine", () => {
  const reference = referenceDatabaseForSuite(db.available ? db.adminUrl : undefined);

  it("reads every signal view the database has, each by its own name, without an error", async () => {
    const warnings: string[] = [];
    const source = await openSource(reference().url, (line) => warnings.push(line));
    try {
      expect(source.engine).toBe("reference");
      expect(source.presentViews).toEqual(expect.arrayContaining([...SIGNAL_VIEWS]));
      for (const view of source.presentViews) expect(Array.isArray((await source.readPanel(view)).rows), view).toBe(true);
      expect(warnings).toEqual([]);
    } finally {
      await source.close();
    }
  });

  it("still shows the classifier lines when a signal view cannot be read, and says so once", async () => {
    const warnings: string[] = [];
    const source = await openSource(reference().url, (line) => warnings.push(line));
    await reference().client.query("alter view feature_drift rename to feature_drift_elsewhere");
    try {
      await source.readPanel("feature_drift");
      expect((await source.readPanel("feature_drift")).rows).toEqual([]);
      expect(Array.isArray((await source.readHeadline()).rows)).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/feature_drift could not be read, shown empty: relation "feature_drift" does not exist/);
    } finally {
      await reference().client.query("alter view feature_drift_elsewhere rename to feature_drift");
      await source.close();
    }
  });

  it("reads on after the server drops every one of its connections, opening them again", async () => {
    const warnings: string[] = [];
    const source = await openSource(reference().url, (line) => warnings.push(line));
    try {
      await source.readHeadline();
      const { rows } = await reference().client.query<{ n: number }>(
        "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
      );
      expect(rows[0]?.n).toBe(1 + source.presentViews.length);
      // A read may still meet a connection whose end has not been noticed yet: it fails, the next one reconnects.
      await expectEventually(() => source.readHeadline(), (reading) => expect(Array.isArray(reading.rows)).toBe(true), { describe: "the headline reads again" });
      for (const view of source.presentViews) {
        await expectEventually(
          async () => {
            warnings.length = 0;
            return source.readPanel(view);
          },
          () => expect(warnings).toEqual([]),
          { describe: `${view} reads again without a warning` },
        );
      }
    } finally {
      await source.close();
    }
  });

  it("reads every view at the lab.now it is given, though each view is read on a connection of its own", async () => {
    const client = reference().client;
    await truncateInputs(client);
    const leads = [1, 2, 3, 4, 5, 6].map((id) => aLead(id, at(id), id % 2 === 0 ? { atMs: at(id + 5), amountCents: 5_000 } : undefined));
    const predictions = leads.map((lead) => aPrediction(lead.id, { atMs: lead.createdAtMs + 200, score: lead.id / 7, bucket: lead.id % 3 === 0 ? "control" : "experiment" }));
    await insertDataset(client, { leads, coupons: [], predictions });
    const nowMs = at(70);
    const source = await openSource(reference().url, () => {}, { labNow: iso(nowMs) });
    try {
      const headline = await source.readHeadline();
      const panels = new Map(await Promise.all(source.presentViews.map(async (view) => [view, await source.readPanel(view)] as const)));
      // The same queries on one connection, at that time: what every reader must have seen.
      await client.query("select set_config('lab.now', $1, false)", [iso(nowMs)]);
      const metricsSql = readFileSync(new URL("../../watch/sql/latest-metrics.sql", import.meta.url), "utf8");
      expect(headline).toEqual({ rows: (await client.query(metricsSql)).rows, asOfMs: nowMs });
      expect(headline.rows.length).toBeGreaterThan(0);
      for (const view of source.presentViews) {
        expect(panels.get(view), view).toEqual({ rows: (await client.query(newestRowsQuery(view))).rows, asOfMs: nowMs });
      }
      expect(panels.get("model_quality_metrics")?.rows.length).toBeGreaterThan(0);
      expect(panels.get("pipeline_health")?.rows.length).toBeGreaterThan(0);
    } finally {
      await source.close();
      await truncateInputs(client);
    }
  });
});
