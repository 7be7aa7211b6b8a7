// monitoring_alerts on the reference engine, over hand-built signal windows (the signal views
// replaced by a table: support/sql/hand-signal-values.sql), against cases worked out by hand
// and against an independent oracle (support/alert-rules.ts) for random rules and windows.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { usePostgres } from "../helpers/services.ts";
import { alertsAt, givenRulesAndWindows, oracleAlerts, useHandBuiltSignals, type RuleRow, type SignalWindow } from "./support/alert-rules.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";

const pg = await usePostgres();

const T0 = Date.UTC(2026, 0, 1, 0, 10);
const at = (seconds: number) => T0 + seconds * 1000;
const rule = (over: Partial<RuleRow>): RuleRow => ({
  rule_name: "r", signal: "feature_drift.psi", subject: null, direction: "above", threshold: 0.5, min_leads: 0, consecutive_windows: 1, enabled: true, ...over,
});
const psi = (seconds: number, value: number, over: Partial<SignalWindow> = {}): SignalWindow => ({
  signal: "feature_drift.psi", subject: "score_decile", windowEndMs: at(seconds), value, numLeads: 100, hopSeconds: 1, ...over,
});

describe.skipIf(!pg.available)("monitoring_alerts over hand-built windows (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);
  beforeAll(async () => {
    if (pg.available) await useHandBuiltSignals(reference().client);
  });

  const firedAt = async (rules: RuleRow[], windows: SignalWindow[], nowS = 60) => {
    await givenRulesAndWindows(reference().client, rules, windows);
    return (await alertsAt(reference().client, at(nowS))).map((a) => `${a.rule_name}@${(Date.parse(a.window_end) - T0) / 1000}`);
  };

  it("fires only once three windows in a row cross, and starts counting again after a gap", async () => {
    // Crossing at 1, 2, 3, 4, then 6, 7, 8 (5 is below): a run of 3 ends at 3, 4 and 8.
    const values = [0.9, 0.9, 0.9, 0.9, 0.1, 0.9, 0.9, 0.9];
    const windows = values.map((v, i) => psi(i + 1, v));
    expect(await firedAt([rule({ consecutive_windows: 3 })], windows)).toEqual(["r@3", "r@4", "r@8"]);
  });

  it("counts windows, not rows, in a run: two rows of one window (two model versions) are still one window", async () => {
    // Two rows per window at 1 and 2 s only: a run of 3 windows never happens.
    const windows = [1, 2].flatMap((s) => [psi(s, 0.9), psi(s, 0.8)]);
    expect(await firedAt([rule({ consecutive_windows: 3 })], windows)).toEqual([]);
    // A third window completes the run: both rows of that window fire.
    expect(await firedAt([rule({ consecutive_windows: 3 })], [...windows, psi(3, 0.9), psi(3, 0.8)])).toEqual(["r@3", "r@3"]);
  });

  it("counts a missing window as a break in the run, on a 10-second grid", async () => {
    // pipeline windows at 10, 20, 40, 50 s (30 s is missing): a run of 2 ends at 20 and 50.
    const windows = [10, 20, 40, 50].map((s) => psi(s, 0.5, { signal: "pipeline_health.prediction_coverage", subject: null, hopSeconds: 10 }));
    const coverage = rule({ signal: "pipeline_health.prediction_coverage", direction: "below", threshold: 0.95, consecutive_windows: 2 });
    expect(await firedAt([coverage], windows)).toEqual(["r@20", "r@50"]);
  });

  it("fires strictly beyond the threshold, and only from min_leads leads up", async () => {
    const windows = [psi(1, 0.5), psi(2, 0.6, { numLeads: 99 }), psi(3, 0.6, { numLeads: 100 })];
    expect(await firedAt([rule({ min_leads: 100 })], windows)).toEqual(["r@3"]);
  });

  it("fires per subject for a rule without one, naming the subject, and ignores a disabled rule", async () => {
    const windows = [psi(1, 0.9), psi(1, 0.9, { subject: "utm_source" }), psi(2, 0.9, { subject: "utm_source" })];
    await givenRulesAndWindows(reference().client, [rule({ consecutive_windows: 2 }), rule({ rule_name: "off", enabled: false })], windows);
    const alerts = await alertsAt(reference().client, at(60));
    expect(alerts).toEqual([{ rule_name: "r", window_end: new Date(at(2)).toISOString(), value: 0.9, threshold: 0.5, signal: "feature_drift.psi", subject: "utm_source" }]);
  });

  it("shows a window for 10 minutes after its end, like every signal view", async () => {
    const windows = [psi(1, 0.9)];
    expect(await firedAt([rule({})], windows, 0)).toEqual([]);
    expect(await firedAt([rule({})], windows, 1)).toEqual(["r@1"]);
    expect(await firedAt([rule({})], windows, 600.999)).toEqual(["r@1"]);
    expect(await firedAt([rule({})], windows, 601)).toEqual([]);
  });

  it("equals the oracle for random rules and windows", async () => {
    const signals = ["feature_drift.psi", "pipeline_health.prediction_coverage"] as const;
    const subjectOf = (signal: string, pick: number) => (signal === "feature_drift.psi" ? (["score_decile", "utm_source"][pick % 2] ?? null) : null);
    const windowArb = fc.record({ signalIndex: fc.integer({ min: 0, max: 1 }), subjectPick: fc.nat(1), slot: fc.integer({ min: 0, max: 12 }), value: fc.double({ min: 0, max: 1, noNaN: true }), numLeads: fc.integer({ min: 0, max: 200 }) });
    const ruleArb = fc.record({
      signalIndex: fc.integer({ min: 0, max: 1 }), subjectPick: fc.integer({ min: 0, max: 2 }), above: fc.boolean(),
      threshold: fc.double({ min: 0, max: 1, noNaN: true }), minLeads: fc.integer({ min: 0, max: 150 }), consecutive: fc.integer({ min: 1, max: 4 }), enabled: fc.boolean(),
    });
    let fired = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), fc.array(windowArb, { maxLength: 40 }), fc.integer({ min: 0, max: 700 }), async (ruleSpecs, windowSpecs, nowS) => {
        const rules = ruleSpecs.map((r, i) => {
          const signal = signals[r.signalIndex] as string;
          return rule({
            rule_name: `rule_${i}`, signal, subject: r.subjectPick === 2 ? null : subjectOf(signal, r.subjectPick), direction: r.above ? "above" : "below",
            threshold: r.threshold, min_leads: r.minLeads, consecutive_windows: r.consecutive, enabled: r.enabled,
          });
        });
        const unique = new Map<string, SignalWindow>();
        for (const w of windowSpecs) {
          const signal = signals[w.signalIndex] as string;
          const hopSeconds = w.signalIndex === 0 ? 1 : 10;
          const window = { signal, subject: subjectOf(signal, w.subjectPick), windowEndMs: at(w.slot * hopSeconds), value: w.value, numLeads: w.numLeads, hopSeconds };
          unique.set(`${signal}|${window.subject}|${window.windowEndMs}`, window);
        }
        const windows = [...unique.values()];
        await givenRulesAndWindows(reference().client, rules, windows);
        const expected = oracleAlerts(rules, windows, at(nowS));
        fired += expected.length;
        expect(await alertsAt(reference().client, at(nowS))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
    expect(fired).toBeGreaterThan(0); // the property saw firing rules, not only silence
  });
});
