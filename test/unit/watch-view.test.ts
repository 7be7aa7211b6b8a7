import { describe, expect, it } from "vitest";
import { bucketLines, newestSettledWindow, type MetricsRow } from "../../watch/model.ts";
import { plainLines, plainPanelLines, renderTerminal, type Screen } from "../../watch/render.ts";
import { changedPanelLines, screenOf } from "../../watch/screen.ts";

const T0 = Date.UTC(2026, 0, 1, 0, 2, 0);
const row = (secondsBefore: number, bucket: string, net: number | null, extra: Partial<MetricsRow> = {}): MetricsRow => ({
  window_end: new Date(T0 - secondsBefore * 1000), experiment_bucket: bucket, num_leads: "10",
  precision: 0.5, recall: "0.25", f1_score: null, net_revenue_per_lead_dollars: net === null ? null : String(net), ...extra,
});

describe("the watch's model of classifier_metrics", () => {
  it("shows the newest window whose 5 s grace has passed, not a younger one that may still change", () => {
    const lines = bucketLines([row(3, "control", 9), row(5, "control", 1), row(6, "control", 2)], { nowMs: T0, trendWindows: 60 });
    expect(lines.map((l) => l.windowEndMs)).toEqual([T0 - 5000]);
    expect(lines[0]?.netRevenuePerLeadDollars).toBe(1);
  });

  it("orders control and experiment first and `unknown` last, and reads numeric text as numbers", () => {
    const lines = bucketLines([row(5, "unknown", 0), row(5, "experiment", 2), row(5, "control", 1)], { nowMs: T0, trendWindows: 60 });
    expect(lines.map((l) => l.bucket)).toEqual(["control", "experiment", "unknown"]);
    expect(lines[0]).toMatchObject({ numLeads: 10, precision: 0.5, recall: 0.25, f1: null });
  });

  it("draws the trend from the bucket's own windows within the trend width, oldest first, skipping NULLs", () => {
    const rows = [row(5, "control", 3), row(6, "control", null), row(7, "control", 2), row(8, "control", 1), row(9, "control", 7), row(6, "experiment", 100)];
    const [control] = bucketLines(rows, { nowMs: T0, trendWindows: 4 });
    expect(control?.trend).toEqual([1, 2, 3]); // windows 8, 7, (6 is NULL), 5 s before; 9 s is outside 4 windows
  });

  it("shows nothing before the first window settles", () => {
    expect(bucketLines([row(1, "control", 1)], { nowMs: T0, trendWindows: 60 })).toEqual([]);
  });

  it("takes a signal view's rows of its newest settled window only", () => {
    const rows = [{ window_end: new Date(T0 - 2000), k: "a" }, { window_end: new Date(T0 - 6000), k: "b" }, { window_end: new Date(T0 - 6000), k: "c" }, { window_end: new Date(T0 - 7000), k: "d" }];
    expect(newestSettledWindow(rows, T0).map((r) => r.k)).toEqual(["b", "c"]);
  });
});

describe("the watch's output", () => {
  const screen: Screen = {
    engine: "reference",
    nowMs: T0,
    buckets: bucketLines([row(5, "control", 1.5), row(6, "control", 1), row(5, "experiment", 2)], { nowMs: T0, trendWindows: 60 }),
    headlineAsOfMs: T0 - 1000,
    signals: [{ view: "model_quality_metrics", rows: [{ window_end: new Date(T0 - 5000), roc_auc: 0.8123 }], asOfMs: T0 - 4000 }],
    alerts: { view: "monitoring_alerts", rows: [], asOfMs: T0 - 2000 },
  };

  it("prints one plain line per bucket for a new window, with every number the table shows", () => {
    const lines = plainLines(screen, undefined);
    expect(lines[0]).toBe("window_end=2026-01-01T00:01:55.000Z bucket=control leads=10 precision=0.500 recall=0.250 f1=— net_revenue_per_lead_dollars=1.50 trend=▁█");
    expect(lines[1]).toMatch(/^window_end=\S+ bucket=experiment .* net_revenue_per_lead_dollars=2\.00 trend=$/);
    expect(lines).toHaveLength(2); // the signals print when a reading of theirs arrives, not per window
  });

  it("prints a signal's rows with the time its reading describes when a new reading arrives", () => {
    expect(plainPanelLines(screen.signals[0]!, false)).toEqual(["signal model_quality_metrics as_of=2026-01-01T00:01:56.000Z window_end=00:01:55 roc_auc=0.812"]);
    expect(plainPanelLines({ view: "monitoring_alerts", rows: [{ window_end: new Date(T0 - 6000), alert: "drift" }], asOfMs: T0 }, true))
      .toEqual(["alert as_of=2026-01-01T00:02:00.000Z window_end=00:01:54 alert=drift"]);
  });

  it("prints nothing for a window it has printed already", () => {
    expect(plainLines(screen, T0 - 5000)).toEqual([]);
  });

  it("draws a table with a row per bucket, the signal and the alerts on a terminal", () => {
    const text = renderTerminal(screen);
    expect(text).toContain("window of 30 s ending 00:01:55");
    expect(text).toMatch(/│ control\s+│ 10\s+│ 0\.500\s+│ 0\.250\s+│ —\s+│ 1\.50/);
    expect(text).toContain("window of 30 s ending 00:01:55 (as of 00:01:59, 1 s ago)");
    expect(text).toContain("model_quality_metrics (as of 00:01:56, 4 s ago):");
    expect(text).toContain("alerts: none firing (as of 00:01:58, 2 s ago)");
  });

  it("prints a panel's new reading only when it shows other rows than the last printed one", () => {
    const printed = new Map<string, string>();
    const reading = (asOfMs: number, secondsBefore: number) => ({ view: "pipeline_health", rows: [{ window_end: new Date(T0 - secondsBefore * 1000), leads: 3 }], asOfMs });
    expect(changedPanelLines(reading(T0 - 2000, 10), printed)).toHaveLength(1);
    expect(changedPanelLines(reading(T0 - 1000, 10), printed)).toEqual([]); // the same window, read again
    expect(changedPanelLines(reading(T0, 9), printed)).toEqual(["signal pipeline_health as_of=2026-01-01T00:02:00.000Z window_end=00:01:51 leads=3"]);
  });

  it("says `reading…` for every panel whose first read has not returned, the headline's too", () => {
    const text = renderTerminal(screenOf({ headline: undefined, panels: new Map() },
      { engine: "reference", presentViews: ["feature_drift", "monitoring_alerts"], nowMs: T0, trendWindows: 30 }));
    expect(text.split("\n").slice(1)).toEqual(["classifier_metrics: reading…", "feature_drift: reading…", "alerts: reading…"]);
  });
});
