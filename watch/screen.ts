// The newest reading of each panel, and the screen drawn from them at a given time: the headline's
// settled windows, each signal view's newest settled window, the newest firing alerts, each with
// the time its reading describes. Pure: no I/O (watch/main.ts and the tests feed it).

import { bucketLines, newestSettled, newestSettledWindow, type MetricsRow } from "./model.ts";
import { plainPanelLines, type Panel, type Screen, type ViewRow } from "./render.ts";
import { ALERTS_VIEW, type Engine, type Reading } from "./sources.ts";

const MAX_ALERTS_SHOWN = 5;

export interface Readings {
  /** undefined until the first read of classifier_metrics returns. */
  headline: Reading<MetricsRow> | undefined;
  /** The newest reading per optional view; a view is absent while its first read runs. */
  panels: Map<string, Reading<ViewRow>>;
}

export interface ScreenOptions {
  engine: Engine;
  presentViews: readonly string[];
  nowMs: number;
  trendWindows: number;
}

export function screenOf(readings: Readings, opts: ScreenOptions): Screen {
  const { nowMs } = opts;
  return {
    engine: opts.engine,
    nowMs,
    buckets: bucketLines(readings.headline?.rows ?? [], { nowMs, trendWindows: opts.trendWindows }),
    headlineAsOfMs: readings.headline?.asOfMs,
    signals: opts.presentViews.filter((view) => view !== ALERTS_VIEW).map((view) => panelOf(view, readings.panels.get(view), nowMs)),
    alerts: opts.presentViews.includes(ALERTS_VIEW) ? panelOf(ALERTS_VIEW, readings.panels.get(ALERTS_VIEW), nowMs) : undefined,
  };
}

/** A signal shows its newest settled window; the alerts, the newest few that fired. */
export function panelOf(view: string, reading: Reading<ViewRow> | undefined, nowMs: number): Panel {
  if (reading === undefined) return { view, rows: undefined, asOfMs: undefined };
  const rows = reading.rows as Array<{ window_end: Date }>;
  const shown = view === ALERTS_VIEW ? newestSettled(rows, nowMs, MAX_ALERTS_SHOWN) : newestSettledWindow(rows, nowMs);
  return { view, rows: shown, asOfMs: reading.asOfMs };
}

/** Plain lines for a panel's new reading when it shows other rows than were printed last (per view, in `printed`). */
export function changedPanelLines(panel: Panel, printed: Map<string, string>): string[] {
  const shown = JSON.stringify(panel.rows);
  if (printed.get(panel.view) === shown) return [];
  printed.set(panel.view, shown);
  return plainPanelLines(panel, panel.view === ALERTS_VIEW);
}
