import { describe, expect, it } from "vitest";
import { applyChanges, canRedraw } from "../../watch/changes.ts";

type Row = { window_end: string; experiment_bucket: string; num_leads: number };
const row = (end: string, leads: number): Row => ({ window_end: end, experiment_bucket: "control", num_leads: leads });
const change = (r: Row, diff: number, time = 1) => ({ ...r, mz_timestamp: String(time), mz_diff: String(diff) });

describe("SUBSCRIBE's changes applied to the current rows", () => {
  it("adds the snapshot, replaces an updated row (retraction + insertion) and drops a retracted one", () => {
    const current = new Map();
    expect(applyChanges(current, [change(row("a", 1), 1), change(row("b", 2), 1)])).toEqual([row("a", 1), row("b", 2)]);
    expect(applyChanges(current, [change(row("b", 2), -1, 2), change(row("b", 3), 1, 2), change(row("a", 1), -1, 2)])).toEqual([row("b", 3)]);
  });

  it("keeps a row sent twice until both copies are retracted, and changes nothing on an empty fetch", () => {
    const current = new Map();
    applyChanges(current, [change(row("a", 1), 2)]);
    expect(applyChanges(current, [change(row("a", 1), -1)])).toEqual([row("a", 1)]);
    expect(applyChanges(current, [])).toEqual([row("a", 1)]);
    expect(applyChanges(current, [change(row("a", 1), -1)])).toEqual([]);
  });
});

describe("redrawing in place", () => {
  it("needs a terminal that reports its rows (log-update clips its frame to them)", () => {
    expect(canRedraw({ isTTY: true, rows: 40 })).toBe(true);
    expect(canRedraw({ isTTY: true, rows: 0 })).toBe(false);
    expect(canRedraw({ isTTY: true })).toBe(false);
    expect(canRedraw({ isTTY: false, rows: 40 })).toBe(false);
  });
});
