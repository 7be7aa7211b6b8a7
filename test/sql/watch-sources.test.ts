// The live terminal view's reads on the reference engine: every signal view the database has is
// read by its own name, and one that cannot be read never hides the classifier lines.

import { describe, expect, it } from "vitest";
import { openSource, SIGNAL_VIEWS } from "../../watch/sources.ts";
import { usePostgres } from "../helpers/services.ts";
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
      const readings = await source.read();
      expect([...readings.others.keys()]).toEqual(source.presentViews);
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
      await source.read();
      const readings = await source.read();
      expect(Array.isArray(readings.metrics)).toBe(true);
      expect(readings.others.get("feature_drift")).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/feature_drift could not be read, shown empty: relation "feature_drift" does not exist/);
    } finally {
      await reference().client.query("alter view feature_drift_elsewhere rename to feature_drift");
      await source.close();
    }
  });
});
