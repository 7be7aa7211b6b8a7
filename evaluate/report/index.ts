// `npm run evaluate -- --report <dir>`: an HTML page plus one SVG and one PNG per chart of an
// evaluated run: which rule fired when over the incidents, then each signal per series over time
// with the incidents shaded and the firings ticked. Reads only the EvaluatedRun (../run-data.ts).

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import type { EvaluatedRun, SignalPoint } from "../run-data.ts";
import { firingsChart, signalChart } from "./charts.ts";
import { reportHtml, type ChartFile } from "./html.ts";
import { pngOf, svgOf } from "./render.ts";

export const FIRINGS_CHART_NAME = "alert-firings";

/** A file name from a signal name: letters, digits, `_`, `.` and `-` only. */
export const chartFileName = (signal: string): string => `signal-${signal.replace(/[^A-Za-z0-9_.-]/g, "_")}`;

function signalsByName(points: readonly SignalPoint[]): Map<string, SignalPoint[]> {
  const bySignal = new Map<string, SignalPoint[]>();
  for (const point of points) {
    const list = bySignal.get(point.signal) ?? [];
    list.push(point);
    bySignal.set(point.signal, list);
  }
  return bySignal;
}

export async function writeReport(run: EvaluatedRun, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const charts: Array<{ title: string; name: string; spec: TopLevelSpec }> = [
    { title: "Alert firings per rule", name: FIRINGS_CHART_NAME, spec: firingsChart(run) },
  ];
  for (const [signal, points] of signalsByName(run.signals)) {
    charts.push({ title: signal, name: chartFileName(signal), spec: signalChart(run, signal, points) });
  }
  const files: ChartFile[] = [];
  for (const chart of charts) {
    const svg = await svgOf(chart.spec);
    await writeFile(join(dir, `${chart.name}.svg`), svg);
    await writeFile(join(dir, `${chart.name}.png`), pngOf(svg));
    files.push({ title: chart.title, svg: `${chart.name}.svg`, png: `${chart.name}.png` });
  }
  await writeFile(join(dir, "index.html"), reportHtml(run, files));
}
