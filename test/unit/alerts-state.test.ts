// npm run alerts: an alert (one rule about one subject) starts when a reading first holds it and
// resolves when a reading no longer does; the subscription's changes are replayed in time order.

import { describe, expect, it } from "vitest";
import { transitionJson, transitionLine } from "../../alerts/format.ts";
import { changesByTime, completeChanges } from "../../alerts/source.ts";
import { nextTransitions, type FiringRow } from "../../alerts/state.ts";
import { applyChanges } from "../../watch/changes.ts";

const T0 = Date.parse("2026-01-01T10:00:00Z");
const row = (rule_name: string, subject: string | null, second: number, value = 0.5): FiringRow =>
  ({ rule_name, subject, signal: "model_quality_metrics.roc_auc", window_end: new Date(T0 + second * 1000), value, threshold: 0.6 });

/** Feeds readings one after the other; returns every transition as "event rule/subject@second". */
function replay(readings: FiringRow[][]): string[] {
  let firing = new Map<string, FiringRow>();
  const seen: string[] = [];
  for (const rows of readings) {
    const next = nextTransitions(firing, rows);
    firing = next.firing;
    seen.push(...next.transitions.map((t) => `${t.event} ${t.rule_name}/${t.subject}@${(t.window_end.getTime() - T0) / 1000}`));
  }
  return seen;
}

describe("alert transitions", () => {
  it("starts an alert once however many windows keep it firing, and resolves it with its last window", () => {
    expect(replay([
      [row("auc_low", "control", 1)],
      [row("auc_low", "control", 1), row("auc_low", "control", 2)],
      [row("auc_low", "control", 2), row("auc_low", "control", 3)],
      [],
    ])).toEqual(["start auc_low/control@1", "resolve auc_low/control@3"]);
  });

  it("tells subjects apart: the same rule on two buckets is two alerts, and a NULL subject is one more", () => {
    expect(replay([
      [row("auc_low", "control", 1), row("auc_low", "experiment", 2), row("auc_low", null, 3)],
      [row("auc_low", "experiment", 4)],
    ])).toEqual([
      "start auc_low/control@1", "start auc_low/experiment@2", "start auc_low/null@3",
      "resolve auc_low/control@1", "resolve auc_low/null@3",
    ]);
  });

  it("starts an alert again after it resolved", () => {
    expect(replay([[row("srm", null, 10)], [], [row("srm", null, 30)]])).toEqual(["start srm/null@10", "resolve srm/null@10", "start srm/null@30"]);
  });

  it("replays a subscription's changes time by time, so a start and its resolve in one fetch are both seen", () => {
    const a = row("auc_low", "control", 1);
    const b = row("auc_low", "control", 2);
    const fetched = [
      { ...b, mz_timestamp: "1700000000002", mz_diff: "1" },
      { ...a, mz_timestamp: "1700000000002", mz_diff: "-1" },
      { ...a, mz_timestamp: "999", mz_diff: "1" },
      { ...b, mz_timestamp: "1700000000009", mz_diff: "-1" },
    ];
    const current = new Map<string, { row: FiringRow; count: number }>();
    const readings = changesByTime(fetched).map((changes) => applyChanges(current, changes));
    expect(readings.map((rows) => rows.map((r) => (r.window_end.getTime() - T0) / 1000))).toEqual([[1], [2], []]);
    expect(replay(readings)).toEqual(["start auc_low/control@1", "resolve auc_low/control@2"]);
  });
});

describe("a subscription's progress", () => {
  const change = (time: string, rule: string) => ({ ...row(rule, null, 1), mz_timestamp: time, mz_diff: "1", mz_progressed: false });
  const progressed = (time: string) => ({ mz_timestamp: time, mz_diff: null, mz_progressed: true }) as never;

  it("holds changes back until a progress mark says their time is complete, then releases them without the mark", () => {
    const first = completeChanges([], [change("10", "a"), change("12", "b")]);
    expect(first.ready).toEqual([]);
    expect(first.pending.map((c) => c.rule_name)).toEqual(["a", "b"]);
    const second = completeChanges(first.pending, [progressed("12"), change("12", "c")]);
    expect(second.ready.map((c) => c.rule_name)).toEqual(["a"]);
    expect(second.ready[0]).not.toHaveProperty("mz_progressed");
    expect(second.pending.map((c) => c.rule_name)).toEqual(["b", "c"]);
    const third = completeChanges(second.pending, [progressed("13")]);
    expect(third.ready.map((c) => c.rule_name)).toEqual(["b", "c"]);
    expect(third.pending).toEqual([]);
  });
});

describe("a transition's line", () => {
  const start = nextTransitions(new Map(), [row("auc_low", "control", 5, 0.55)]).transitions[0]!;
  const observed = new Date(T0 + 20_000);

  it("reads as a sentence in text", () => {
    expect(transitionLine(start, observed, "text")).toBe(
      "2026-01-01T10:00:20Z START   auc_low [control]: model_quality_metrics.roc_auc = 0.55 (threshold 0.6), in the window ending 2026-01-01T10:00:05Z",
    );
  });

  it("is the webhook's JSON in json", () => {
    expect(JSON.parse(transitionLine(start, observed, "json"))).toEqual({
      event: "start", rule_name: "auc_low", subject: "control", signal: "model_quality_metrics.roc_auc",
      window_end: "2026-01-01T10:00:05.000Z", value: 0.55, threshold: 0.6, observed_at: "2026-01-01T10:00:20.000Z",
    });
    expect(JSON.parse(transitionLine(start, observed, "json"))).toEqual(transitionJson(start, observed));
  });
});
