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

interface IncidentDatum { kind: string; starts_ms: number; ends_ms: number }

/** Each incident's span, clipped to the run (an open incident lasts until the run's end). */
export function incidentSpans(run: EvaluatedRun): IncidentDatum[] {
  const endMs = run.run_ended_at.getTime();
  return run.incidents.map(({ incident }) => ({
    kind: incident.kind,
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
      mark: { type: "text" as const, align: "left" as const, baseline: "top" as const, dx: 3, dy: 3, y: 0, fontSize: 10, color: "#8a5a00", clip: true },
      encoding: { x: { field: "starts_ms", ...timeAxis(run, null) }, text: { field: "kind" } },
    },
  ];
}

function firingValues(run: EvaluatedRun) {
  return run.firings.map((f) => ({ rule_name: f.rule_name, window_end_ms: f.window_end.getTime(), value: f.value, threshold: f.threshold }));
}

/** One signal's lines (one per series), the incidents shaded and every firing ticked along the top. */
export function signalChart(run: EvaluatedRun, signal: string, points: readonly SignalPoint[]): TopLevelSpec {
  const values = points.map((p) => ({ series: p.series, window_end_ms: p.window_end.getTime(), value: p.value }));
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
