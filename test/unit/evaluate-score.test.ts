// Scoring of alerts against the ground truth (evaluate/score.ts), on hand-computed cases:
// a run from 00:00 to 00:30, warm-up until 00:06, a grace of 6 minutes after each incident.

import { describe, expect, it } from "vitest";
import type { AlertFiring, IncidentTruth } from "../../evaluate/run-data.ts";
import { firstScoredMs, scoreRun } from "../../evaluate/score.ts";
import { readTimesMs } from "../../evaluate/read-run.ts";

const at = (clock: string) => new Date(`2026-01-01T00:${clock}Z`);
const run = { startedAtMs: at("00:00").getTime(), endedAtMs: at("30:00").getTime() };
const incident = (id: string, starts: string, ends: string | null, kind = "score_shift"): IncidentTruth => ({
  incident_id: id, kind, starts_at: at(starts), ends_at: ends === null ? null : at(ends), params: {},
});
const firing = (rule: string, clock: string, value = 1): AlertFiring => ({ rule_name: rule, window_end: at(clock), value, threshold: 0.5 });

describe("scoring alerts against the ground truth", () => {
  it("measures the delay from the incident's start to the first firing window at or after it", () => {
    const scored = scoreRun([incident("1", "10:00", "14:00")], [firing("drift", "10:45"), firing("auc", "11:20"), firing("drift", "10:46")], run);
    expect(scored.incidents[0]?.detected_at).toEqual(at("10:45"));
    expect(scored.incidents[0]?.delay_seconds).toBe(45);
    expect(scored.incidents[0]?.rules).toEqual(["drift", "auc"]);
    expect(scored.false_alerts).toEqual([]);
  });

  it("counts a firing in the same second as the start as a detection with delay 0", () => {
    const scored = scoreRun([incident("1", "10:00", "14:00")], [firing("drift", "10:00")], run);
    expect(scored.incidents[0]?.delay_seconds).toBe(0);
  });

  it("does not count a firing before the start as a detection, and calls it a false alert after the warm-up", () => {
    const scored = scoreRun([incident("1", "10:00", "14:00")], [firing("drift", "09:59")], run);
    expect(scored.incidents[0]?.detected_at).toBeNull();
    expect(scored.incidents[0]?.delay_seconds).toBeNull();
    expect(scored.false_alerts.map((f) => f.window_end)).toEqual([at("09:59")]);
  });

  it("keeps firings up to 6 minutes after the incident's end, and counts the next second as false", () => {
    const scored = scoreRun([incident("1", "10:00", "14:00")], [firing("drift", "20:00"), firing("drift", "20:01")], run);
    expect(scored.incidents[0]?.detected_at).toEqual(at("20:00"));
    expect(scored.false_alerts.map((f) => f.window_end)).toEqual([at("20:01")]);
  });

  it("extends an open-ended incident to the run's end plus the grace", () => {
    const late = { ...run, endedAtMs: at("20:00").getTime() };
    const scored = scoreRun([incident("1", "10:00", null)], [firing("drift", "25:59"), firing("drift", "26:01")], late);
    expect(scored.incidents[0]?.delay_seconds).toBe(959);
    expect(scored.false_alerts.map((f) => f.window_end)).toEqual([at("26:01")]);
  });

  it("never calls a firing in the first 6 minutes false (warm-up), but does one second later", () => {
    const scored = scoreRun([], [firing("drift", "03:00"), firing("drift", "06:00"), firing("drift", "06:01", 0.9)], run);
    expect(scored.false_alerts).toEqual([{ rule_name: "drift", window_end: at("06:01"), value: 0.9, threshold: 0.5 }]);
  });

  it("lets one firing detect two overlapping incidents, each with its own delay", () => {
    const scored = scoreRun([incident("1", "10:00", "14:00"), incident("2", "12:00", "13:00", "split_bug")], [firing("srm", "12:30")], run);
    expect(scored.incidents.map((s) => s.delay_seconds)).toEqual([150, 30]);
    expect(scored.false_alerts).toEqual([]);
  });

  it("scores overlapping incidents by their own spans: a firing only inside the later one's grace is not the earlier's", () => {
    const truth = [incident("1", "10:00", "11:00"), incident("2", "12:00", "18:00")];
    const scored = scoreRun(truth, [firing("a", "17:30"), firing("b", "23:59")], run);
    // Incident 1's span ends 17:00, so neither firing is its detection; both lie in incident 2's span (to 24:00).
    expect(scored.incidents[0]?.detected_at).toBeNull();
    expect(scored.incidents[1]?.delay_seconds).toBe(330);
    expect(scored.incidents[1]?.rules).toEqual(["a", "b"]);
    expect(scored.false_alerts).toEqual([]);
  });

  it("reports a missed incident with no delay and no rules", () => {
    const scored = scoreRun([incident("1", "10:00", "14:00")], [], run);
    expect(scored.incidents[0]).toMatchObject({ detected_at: null, delay_seconds: null, rules: [] });
  });
});

describe("the windows evaluate reads", () => {
  it("starts scoring at the warm-up's end, or at an earlier incident's start", () => {
    expect(firstScoredMs(run.startedAtMs, [])).toBe(at("06:00").getTime());
    expect(firstScoredMs(run.startedAtMs, [incident("1", "04:00", "05:00"), incident("2", "10:00", null)])).toBe(at("04:00").getTime());
  });

  it("reads once when one read shows every scored window with the 2-minute run before it, else every 7 minutes back", () => {
    const min = (m: number) => run.startedAtMs + m * 60_000;
    // Run of 10.5 min scored from 6 min: the read at 11.5 min shows windows from 1.5 min on.
    expect(readTimesMs(min(6), min(10.5))).toEqual([min(11.5)]);
    // Scored from 0 (an incident at the start): 11.5 - 10 + 2 = 3.5 > 0, so a second read at 4.5 min.
    expect(readTimesMs(min(0), min(10.5))).toEqual([min(11.5), min(4.5)]);
    // 30 minutes scored from 6 min: 31, 24, 17 (17 - 8 = 9 > 6), 10 (10 - 8 = 2 <= 6: enough).
    expect(readTimesMs(min(6), min(30))).toEqual([min(31), min(24), min(17), min(10)]);
  });
});
