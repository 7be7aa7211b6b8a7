// A Vega-Lite spec to SVG (Vega's headless renderer: no browser, no canvas) and SVG to PNG
// (resvg, a prebuilt binary from npm: no compiler). Text in the PNG uses the machine's fonts
// (DejaVu Sans when present).

import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

// Vega-Lite warns that layers state the same time domain twice (once as datetime signals, once as
// numbers) and takes their union: the same span. Errors still throw.
const quietLogger = vega.logger(vega.Error);

export async function svgOf(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec, { logger: quietLogger }).spec), { renderer: "none", logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Twice the SVG's size, so the PNG stays sharp in a README. */
export function pngOf(svg: string): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" } });
  return resvg.render().asPng();
}
