// The report's page: the run in a few lines, how each incident was caught, the false alerts,
// then every chart (the SVG shown, the SVG and the PNG linked). Every value is escaped.

import type { EvaluatedRun } from "../run-data.ts";

export interface ChartFile { title: string; svg: string; png: string }

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const iso = (date: Date | null): string => (date === null ? "—" : date.toISOString().replace(".000Z", "Z"));
const cell = (text: string): string => `<td>${escapeHtml(text)}</td>`;

function incidentRows(run: EvaluatedRun): string {
  return run.incidents
    .map(({ incident, detected_at, delay_seconds, rules }) =>
      `<tr>${cell(incident.incident_id)}${cell(incident.kind)}${cell(iso(incident.starts_at))}${cell(iso(incident.ends_at))}` +
      `${cell(iso(detected_at))}${cell(delay_seconds === null ? "missed" : `${delay_seconds} s`)}${cell(rules.join(", ") || "—")}</tr>`)
    .join("\n");
}

function falseAlertRows(run: EvaluatedRun): string {
  return run.false_alerts
    .map((a) => `<tr>${cell(a.rule_name)}${cell(iso(a.window_end))}${cell(String(a.value))}${cell(String(a.threshold))}</tr>`)
    .join("\n");
}

function figure(chart: ChartFile): string {
  const svg = encodeURI(chart.svg);
  return `<figure><img src="${svg}" alt="${escapeHtml(chart.title)}">` +
    `<figcaption>${escapeHtml(chart.title)}: <a href="${svg}">SVG</a> · <a href="${encodeURI(chart.png)}">PNG</a></figcaption></figure>`;
}

export function reportHtml(run: EvaluatedRun, charts: readonly ChartFile[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`Run report: ${run.scenario}`)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:900px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}figure{margin:1.5em 0}img{max-width:100%}</style>
</head><body>
<h1>${escapeHtml(`Scenario ${run.scenario}`)}</h1>
<p>Seed ${escapeHtml(run.seed)}; run from ${escapeHtml(iso(run.run_started_at))} to ${escapeHtml(iso(run.run_ended_at))};
${run.firings.length} alert firings, ${run.false_alerts.length} false alerts.</p>
<h2>Incidents and how they were caught</h2>
<table><thead><tr><th>id</th><th>kind</th><th>starts</th><th>ends</th><th>first alert</th><th>delay</th><th>rules that fired</th></tr></thead>
<tbody>
${incidentRows(run)}
</tbody></table>
<h2>False alerts</h2>
${run.false_alerts.length === 0 ? "<p>None.</p>" : `<table><thead><tr><th>rule</th><th>window end</th><th>value</th><th>threshold</th></tr></thead><tbody>\n${falseAlertRows(run)}\n</tbody></table>`}
<h2>Charts</h2>
${charts.map(figure).join("\n")}
</body></html>
`;
}
