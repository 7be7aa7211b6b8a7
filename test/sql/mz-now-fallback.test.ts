// The reference engine's mz_now(): the time in the setting lab.now when it is set, else the
// current time, so the views answer without `set lab.now` too.

import pg from "pg";
import { describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { insertDataset } from "./support/dataset.ts";
import { aLead, aPrediction } from "./support/fixtures.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const db = await usePostgres();

describe.skipIf(!db.available)("mz_now() on the reference engine", () => {
  const reference = referenceDatabaseForSuite(db.available ? db.adminUrl : undefined);

  /** A session of its own, so no earlier `set lab.now` leaks in. */
  async function withFreshSession<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: reference().url });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  }

  const mzNowMs = async (client: pg.Client) => new Date((await client.query("select mz_now() as now")).rows[0].now).getTime();

  it("returns the time in lab.now when it is set", async () => {
    await withFreshSession(async (client) => {
      await client.query("set lab.now = '2026-01-01T00:02:00.5Z'");
      expect(await mzNowMs(client)).toBe(Date.parse("2026-01-01T00:02:00.5Z"));
    });
  });

  for (const [what, setup] of [
    ["never set", undefined],
    ["set to the empty string", "set lab.now = ''"],
    ["reset", "set lab.now = '2026-01-01T00:00:00Z'; reset lab.now"],
  ] as const) {
    it(`falls back to the current time when lab.now is ${what}`, async () => {
      await withFreshSession(async (client) => {
        if (setup) await client.query(setup);
        const beforeMs = Date.now();
        const nowMs = await mzNowMs(client);
        const afterMs = Date.now();
        // The server's clock is this machine's clock; allow for rounding to microseconds.
        expect(nowMs).toBeGreaterThanOrEqual(beforeMs - 5);
        expect(nowMs).toBeLessThanOrEqual(afterMs + 5);
      });
    });
  }

  it("gives a kept plan the time of each execution, not of its planning (a named statement, as JDBC clients and dashboards send)", async () => {
    await withFreshSession(async (client) => {
      const named = async () => new Date((await client.query({ name: "mz-now-kept-plan", text: "select mz_now() as now" })).rows[0].now).getTime();
      for (const at of ["2026-01-01T00:01:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:00:05Z"]) {
        await client.query("select set_config('lab.now', $1, false)", [at]);
        expect(await named(), `a named statement executed at lab.now = ${at}`).toBe(Date.parse(at));
      }
    });
  });

  it("lets classifier_metrics answer for the present without `set lab.now`", async () => {
    // A lead created 40 s ago has matured 10 s ago: it is in the windows ending since then.
    const createdAtMs = Date.now() - 40_000;
    await insertDataset(reference().client, {
      leads: [aLead(1, createdAtMs)],
      coupons: [],
      predictions: [aPrediction(1, { atMs: createdAtMs, bucket: "control", score: 0.2 })],
    });
    const rows = await withFreshSession(async (client) => (await client.query("select experiment_bucket, num_leads from classifier_metrics")).rows);
    expect(rows.length).toBeGreaterThanOrEqual(9);
    expect(new Set(rows.map((r) => `${r.experiment_bucket} ${r.num_leads}`))).toEqual(new Set(["control 1"]));
  });
});
