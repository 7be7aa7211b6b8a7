// `npm run evaluate -- --report <dir>` (evaluate/report): from a hand-built run, the page and
// its charts say what happened and what was noticed. Positions are checked against the time
// axis computed here: the chart is 760 px wide and spans the run's 600 s, so t seconds into the
// run lands at x = 760 · t / 600.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linePoints } from "../../evaluate/report/charts.ts";
import { writeReport } from "../../evaluate/report/index.ts";
import { at, fixtureRun } from "./support/evaluated-run-fixture.ts";

const WIDTH_PX = 760;
const RUN_SECONDS = 600;
const xOf = (seconds: number) => (WIDTH_PX * seconds) / RUN_SECONDS;
const SIGNAL_CHARTS = ["signal-model_quality_metrics.roc_auc", "signal-ab_test_metrics.srm_chi_square"];
const ALL_CHARTS = ["alert-firings", ...SIGNAL_CHARTS];

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "evaluate-report-"));
  await writeReport(fixtureRun(), dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const svgOf = (chart: string) => readFileSync(join(dir, `${chart}.svg`), "utf8");

/**
 * The SVG elements drawn for one named mark: Vega writes each as `<g class="mark-… role-mark
 * NAME_marks">` (one such group per line of a multi-line mark).
 */
function marksOf(svg: string, name: string): string[] {
  const groupEnd = (group: string) => Math.min(...["</g>", "<g "].map((tag) => group.indexOf(tag)).filter((i) => i >= 0), group.length);
  return svg.split(`role-mark ${name}_marks"`).slice(1)
    .flatMap((group) => [...group.slice(0, groupEnd(group)).matchAll(/<(path|line)\b[^>]*>/g)].map((m) => m[0]))
    .filter((element) => element.includes('role="graphics-symbol"'));
}

/** [left, right] in px of a rectangle drawn as `d="Mx,yhWv…"`. */
function spanOf(path: string): [number, number] {
  const [, x, width] = /d="M([-\d.]+),[-\d.]+h([-\d.]+)/.exec(path) ?? [];
  return [Number(x), Number(x) + Number(width)];
}

/** The x of a mark drawn with `transform="translate(x,y)"` or `d="Mx,…"`. */
function xOfMark(element: string): number {
  const match = /translate\(([-\d.]+),/.exec(element) ?? /d="M([-\d.]+),/.exec(element);
  return Number(match?.[1]);
}

describe("the run report", () => {
  it.each(ALL_CHARTS)("%s shades one span per incident, from its start to its end or the run's end", (chart) => {
    const spans = marksOf(svgOf(chart), "incident_spans").map(spanOf);
    expect(spans).toHaveLength(2);
    expect(spans[0]![0]).toBeCloseTo(xOf(120), 1);
    expect(spans[0]![1]).toBeCloseTo(xOf(240), 1);
    expect(spans[1]![0]).toBeCloseTo(xOf(420), 1);
    expect(spans[1]![1]).toBeCloseTo(xOf(600), 1);
  });

  it.each(ALL_CHARTS)("%s marks each of the 4 firings at its window's end", (chart) => {
    const xs = marksOf(svgOf(chart), "alert_firings").map(xOfMark).sort((a, b) => a - b);
    expect(xs).toHaveLength(4);
    // A tick is drawn centred on its time: within its 2 px thickness.
    [150, 160, 170, 500].forEach((seconds, i) => expect(Math.abs(xs[i]! - xOf(seconds))).toBeLessThanOrEqual(1.01));
  });

  it("draws one line per series, and a missing value breaks the line instead of bridging it", () => {
    const roc = marksOf(svgOf("signal-model_quality_metrics.roc_auc"), "signal_lines");
    expect(roc).toHaveLength(2);
    const segments = roc.map((path) => (/d="([^"]*)"/.exec(path)?.[1] ?? "").split("M").length - 1).sort();
    expect(segments).toEqual([1, 2]);
    expect(marksOf(svgOf("signal-ab_test_metrics.srm_chi_square"), "signal_lines")).toHaveLength(1);
  });

  it("links every chart as SVG and PNG from the page, and each linked file exists", () => {
    const html = readFileSync(join(dir, "index.html"), "utf8");
    for (const chart of ALL_CHARTS) {
      for (const ext of ["svg", "png"]) {
        expect(html).toContain(`href="${chart}.${ext}"`);
        expect(existsSync(join(dir, `${chart}.${ext}`))).toBe(true);
      }
    }
    const linked = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(linked).toHaveLength(ALL_CHARTS.length * 2);
  });

  it("escapes the run's text in the page and lists each incident with its delay or as missed", () => {
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html).not.toContain("<tour>");
    expect(html).toContain("fixture &lt;tour&gt;");
    expect(html).toMatch(/<td>model_decay<\/td>.*<td>30 s<\/td><td>roc_auc_low<\/td>/);
    expect(html).toMatch(/<td>prediction_outage<\/td>.*<td>missed<\/td>/);
    expect(html).toMatch(/<td>srm_high<\/td><td>2026-01-01T10:08:20Z<\/td>/);
  });

  it.each(ALL_CHARTS)("%s.png is a PNG at twice the SVG's size", (chart) => {
    const png = readFileSync(join(dir, `${chart}.png`));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svgWidth = Number(/<svg[^>]* width="(\d+)"/.exec(svgOf(chart))?.[1]);
    expect(svgWidth).toBeGreaterThan(WIDTH_PX);
    // IHDR: width and height, big-endian, at bytes 16..23.
    expect(png.readUInt32BE(16)).toBe(2 * svgWidth);
    expect(png.readUInt32BE(20)).toBeGreaterThan(0);
  });
});

describe("the report of a quiet run", () => {
  it("still writes the page and the firings chart when nothing happened and nothing fired", async () => {
    const quiet = mkdtempSync(join(tmpdir(), "evaluate-report-quiet-"));
    try {
      const run = { ...fixtureRun(), incidents: [], false_alerts: [], firings: [], signals: [] };
      await writeReport(run, quiet);
      const html = readFileSync(join(quiet, "index.html"), "utf8");
      expect(html).toContain("<h2>False alerts</h2>\n<p>None.</p>");
      expect([...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual(["alert-firings.svg", "alert-firings.png"]);
      const svg = readFileSync(join(quiet, "alert-firings.svg"), "utf8");
      expect(marksOf(svg, "incident_spans")).toEqual([]);
      expect(marksOf(svg, "alert_firings")).toEqual([]);
    } finally {
      rmSync(quiet, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the points of a signal's lines", () => {
  it("break where windows are missing (a gap over twice the usual step), and nowhere else", () => {
    const point = (series: string, seconds: number) => ({ signal: "s.v", series, window_end: at(seconds), value: 1 });
    const points = [...[10, 20, 30, 70, 80].map((s) => point("outage", s)), ...[10, 20, 30, 40].map((s) => point("steady", s))];
    const values = (series: string) => linePoints(points).filter((p) => p.series === series).map((p) => [(p.window_end_ms - at(0).getTime()) / 1000, p.value]);
    expect(values("outage")).toEqual([[10, 1], [20, 1], [30, 1], [60, null], [70, 1], [80, 1]]);
    expect(values("steady")).toEqual([[10, 1], [20, 1], [30, 1], [40, 1]]);
  });
});
