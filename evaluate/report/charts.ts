// The report's charts as Vega-Lite specs: pure data in, a spec out (evaluate/report/render.ts
// turns a spec into SVG and PNG). Every chart shares one time axis, fixed to the run's span, so
// the charts line up and a test can compute where a time lands: x = width · (t − start) / (end − start).
//
// Marks carry names a reader (and a test) can find in the SVG: `incident_spans` (one shaded
// rectangle per incident, from starts_at to ends_at or the run's end), `signal_lines`,
// `alert_firings` (one mark per firing of any rule).

import type { TopLevelSpec } from "vega-lite";
import type { EvaluatedRun, SignalPoint } from "../run-data.ts";

export const CHART_WIDTH_PX = 760;
export const SIGNAL_HEIGHT_PX = 180;
const FIRING_COLOR = "#d62728";
const INCIDENT_FILL = "#f2b134";

interface IncidentDatum { kind: string; starts_ms: number; ends_ms: number; label_y_px: number }
/** Labels start below the firing ticks; neighbours alternate between two lines so they do not overlap. */
const LABEL_TOP_PX = 10;
const LABEL_LINE_PX = 12;

/** Each incident's span, clipped to the run (an open incident lasts until the run's end). */
export function incidentSpans(run: EvaluatedRun): IncidentDatum[] {
  const endMs = run.run_ended_at.getTime();
  return run.incidents.map(({ incident }, i) => ({
    kind: incident.kind,
    label_y_px: LABEL_TOP_PX + LABEL_LINE_PX * (i % 2),
    starts_ms: Math.max(incident.starts_at.getTime(), run.run_started_at.getTime()),
    ends_ms: Math.min(incident.ends_at?.getTime() ?? endMs, endMs),
  }));
}

function timeAxis(run: EvaluatedRun, title: string | null) {
  return {
    type: "temporal" as const,
    title,
    scale: { type: "utc" as const, domain: [run.run_started_at.getTime(), run.run_ended_at.getTime()], nice: false },
    axis: { format: "%H:%M", labelFlush: true },
  };
}

function incidentLayers(run: EvaluatedRun) {
  const values = incidentSpans(run);
  return [
    {
      name: "incident_spans",
      data: { values },
      mark: { type: "rect" as const, color: INCIDENT_FILL, opacity: 0.25, clip: true },
      encoding: { x: { field: "starts_ms", ...timeAxis(run, null) }, x2: { field: "ends_ms" } },
    },
    {
      name: "incident_labels",
      data: { values },
      mark: { type: "text" as const, align: "left" as const, baseline: "top" as const, dx: 3, fontSize: 10, color: "#8a5a00", clip: true },
      encoding: { x: { field: "starts_ms", ...timeAxis(run, null) }, y: { field: "label_y_px", type: "quantitative" as const, scale: null }, text: { field: "kind" } },
    },
  ];
}

function firingValues(run: EvaluatedRun) {
  return run.firings.map((f) => ({ rule_name: f.rule_name, window_end_ms: f.window_end.getTime(), value: f.value, threshold: f.threshold }));
}

interface LinePoint { series: string; window_end_ms: number; value: number | null }

/**
 * Each series in time order, with a NULL point inserted where windows are missing (a gap wider
 * than twice the series' usual step, e.g. no window at all during an outage): the line breaks
 * there instead of drawing a straight segment across time with no data.
 */
export function linePoints(points: readonly SignalPoint[]): LinePoint[] {
  const bySeries = new Map<string, LinePoint[]>();
  for (const p of points) {
    const list = bySeries.get(p.series) ?? [];
    list.push({ series: p.series, window_end_ms: p.window_end.getTime(), value: p.value });
    bySeries.set(p.series, list);
  }
  return [...bySeries.values()].flatMap((list) => {
    list.sort((a, b) => a.window_end_ms - b.window_end_ms);
    const steps = list.slice(1).map((p, i) => p.window_end_ms - list[i]!.window_end_ms).sort((a, b) => a - b);
    const usualStepMs = steps[Math.floor(steps.length / 2)] ?? 0;
    return list.flatMap((p, i) => {
      const gapMs = i === 0 ? 0 : p.window_end_ms - list[i - 1]!.window_end_ms;
      return usualStepMs > 0 && gapMs > 2 * usualStepMs ? [{ ...p, window_end_ms: p.window_end_ms - usualStepMs, value: null }, p] : [p];
    });
  });
}

/** One signal's lines (one per series), the incidents shaded and every firing ticked along the top. */
export function signalChart(run: EvaluatedRun, signal: string, points: readonly SignalPoint[]): TopLevelSpec {
  const values = linePoints(points);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: signal, subtitle: "shaded: incidents (ground truth); red ticks on top: alert firings (any rule)", anchor: "start" },
    width: CHART_WIDTH_PX,
    height: SIGNAL_HEIGHT_PX,
    background: "white",
    layer: [
      ...incidentLayers(run),
      {
        name: "signal_lines",
        data: { values },
        mark: { type: "line", strokeWidth: 1.2, clip: true, invalid: "break-paths-show-path-domains" },
        encoding: {
          x: { field: "window_end_ms", ...timeAxis(run, "time (UTC)") },
          y: { field: "value", type: "quantitative", title: signal.split(".").at(-1) ?? signal, scale: { zero: false } },
          color: { field: "series", type: "nominal", title: null, legend: { orient: "top-right" } },
        },
      },
      {
        name: "alert_firings",
        data: { values: firingValues(run) },
        mark: { type: "rule", color: FIRING_COLOR, strokeWidth: 1, y: 0, y2: 8, clip: true },
        encoding: { x: { field: "window_end_ms", ...timeAxis(run, null) } },
      },
    ],
  } as TopLevelSpec;
}

/** Which rule fired when: one row per rule, one tick per firing, over the incidents. */
export function firingsChart(run: EvaluatedRun): TopLevelSpec {
  const rules = [...new Set(run.firings.map((f) => f.rule_name))].sort();
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `${run.scenario}: what happened vs what was noticed`, subtitle: "shaded: incidents (ground truth); ticks: alert firings per rule", anchor: "start" },
    width: CHART_WIDTH_PX,
    height: Math.max(60, 22 * rules.length),
    background: "white",
    layer: [
      ...incidentLayers(run),
      {
        name: "alert_firings",
        data: { values: firingValues(run) },
        mark: { type: "tick", color: FIRING_COLOR, orient: "vertical", thickness: 2, clip: true },
        encoding: {
          x: { field: "window_end_ms", ...timeAxis(run, "time (UTC)") },
          y: { field: "rule_name", type: "nominal", title: null, scale: { domain: rules } },
        },
      },
    ],
  } as TopLevelSpec;
}
