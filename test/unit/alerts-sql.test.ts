// The alert follower's query and the dashboard's alert cards obey Materialize's mz_now() rules
// (the same static check as the lab's views): they run as SUBSCRIBE or one-shot queries there.

import { describe, expect, it } from "vitest";
import { FIRING_ALERTS_SQL } from "../../alerts/source.ts";
import { loadDashboardDefinition } from "../../metabase/definition.ts";
import { mzNowViolations } from "../sql/support/mz-now-rules.ts";

const cards = loadDashboardDefinition().cards.filter((c) => /FROM (monitoring_alerts|scenario_incidents)\b/.test(c.sql));

describe("mz_now() in the alert queries", () => {
  it.each([["alerts/sql/firing-alerts.sql", FIRING_ALERTS_SQL], ...cards.map((c) => [`card ${c.key}`, c.sql])])(
    "%s breaks no rule", async (_name, sql) => {
      expect(sql).toMatch(/mz_now\(\)/);
      expect(await mzNowViolations(sql)).toEqual([]);
    });

  it("catches a broken rule in the same shape (the check is not vacuous)", async () => {
    const broken = FIRING_ALERTS_SQL.replace("mz_now() >= window_end + interval '5 seconds'", "mz_now() - interval '5 seconds' >= window_end");
    expect(broken).not.toBe(FIRING_ALERTS_SQL);
    expect((await mzNowViolations(broken)).length).toBeGreaterThan(0);
  });
});
