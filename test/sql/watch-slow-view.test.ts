// npm run watch with a view that takes its time: the headline (classifier_metrics) keeps being
// read and drawn every refresh while one signal view's read is still in flight, and that view's
// panel appears once its read returns. The slow view is a stand-in for feature_drift that waits
// on an advisory lock this test holds, so the test (not a clock) decides when the read ends.

import pg from "pg";
import { describe, expect, it } from "vitest";
import { runReadingLoops } from "../../watch/loops.ts";
import { renderTerminal } from "../../watch/render.ts";
import { screenOf, type Readings } from "../../watch/screen.ts";
import { openSource } from "../../watch/sources.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { usePostgres } from "../helpers/services.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const db = await usePostgres();
const LOCK_KEY = 11_000_011;
const REFRESH_MS = 100;

describe.skipIf(!db.available)("npm run watch, with a signal view slower than the refresh", () => {
  const reference = referenceDatabaseForSuite(db.available ? db.adminUrl : undefined);

  /** Holds the lock and puts the stand-in in feature_drift's place; returns what undoes both. */
  async function slowFeatureDrift(): Promise<{ holder: pg.Client; restore: () => Promise<void> }> {
    const admin = reference().client;
    const holder = new pg.Client({ connectionString: reference().url });
    await holder.connect();
    await holder.query("select pg_advisory_lock($1)", [LOCK_KEY]);
    await admin.query("alter view feature_drift rename to feature_drift_elsewhere");
    // The one-time filter runs before any row is read: the whole read waits for the lock.
    await admin.query(`create view feature_drift as select * from feature_drift_elsewhere
                       where (select true from (select pg_advisory_xact_lock_shared(${LOCK_KEY})) as waited)`);
    return {
      holder,
      restore: async () => {
        await holder.end();
        await admin.query("drop view feature_drift");
        await admin.query("alter view feature_drift_elsewhere rename to feature_drift");
      },
    };
  }

  const waiting = async () => (await reference().client.query<{ waiting: number }>(
    "select count(*)::int as waiting from pg_locks where locktype = 'advisory' and objid = $1 and not granted", [LOCK_KEY])).rows[0]?.waiting;

  it("draws the headline every refresh while that view is read, then its panel once the read returns", async () => {
    const { holder, restore } = await slowFeatureDrift();
    const source = await openSource(reference().url, () => {});
    const stop = new AbortController();
    const readings: Readings = { headline: undefined, panels: new Map() };
    const frames: string[] = [];
    const headlineFrames: string[] = [];
    const draw = () => frames.push(renderTerminal(screenOf(readings, { engine: source.engine, presentViews: source.presentViews, nowMs: Date.now(), trendWindows: 30 })));
    const loops = runReadingLoops(source, REFRESH_MS, stop.signal, {
      headline: (reading) => void ((readings.headline = reading), draw(), headlineFrames.push(frames.at(-1)!)),
      headlineFailed: (error) => frames.push(`headline failed: ${String(error)}`),
      panel: (view, reading) => void (readings.panels.set(view, reading), draw()),
    });
    try {
      await expectEventually(waiting, (n) => expect(n).toBe(1), { describe: "the stand-in feature_drift waits on the lock" });
      const headlinesBefore = headlineFrames.length;
      await expectEventually(async () => headlineFrames.slice(headlinesBefore), (drawn) => {
        expect(drawn.length).toBeGreaterThanOrEqual(3);
        for (const frame of drawn) expect(frame).toMatch(/waiting for the first settled window[^]*feature_drift: reading…/);
      }, { describe: "three more headline frames while feature_drift is read" });
      expect(await waiting()).toBe(1); // still in flight: those frames were drawn during the read
      expect(readings.panels.has("feature_drift")).toBe(false);
      expect(frames.filter((f) => f.startsWith("headline failed"))).toEqual([]);

      await holder.query("select pg_advisory_unlock($1)", [LOCK_KEY]);
      await expectEventually(async () => frames.at(-1) ?? "", (frame) => expect(frame).toMatch(/feature_drift \(as of [0-9]{2}:[0-9]{2}:[0-9]{2}, [0-9]+ s ago\):/),
        { describe: "the feature_drift panel, with its age, once its read returns" });
    } finally {
      stop.abort();
      await source.close();
      await loops;
      await restore();
    }
  });

  it("abandons a read in flight when stopped, without calling the view unreadable, and the server drops it", async () => {
    const { restore } = await slowFeatureDrift();
    const warnings: string[] = [];
    const source = await openSource(reference().url, (line) => warnings.push(line));
    try {
      const read = source.readPanel("feature_drift").then(() => "returned", (error: unknown) => String(error));
      await expectEventually(waiting, (n) => expect(n).toBe(1), { describe: "the stand-in feature_drift waits on the lock" });
      await source.close();
      expect(await read).toMatch(/closed/);
      expect(warnings).toEqual([]);
      await expectEventually(waiting, (n) => expect(n).toBe(0), { describe: "the server cancels the abandoned read" });
    } finally {
      await source.close();
      await restore();
    }
  });
});
