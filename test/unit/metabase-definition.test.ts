// The dashboard definition file (metabase/dashboard.yaml) is valid: SQL that Postgres' own parser
// accepts, reads one serving view (classifier_metrics, ab_test_metrics, pipeline_health,
// prediction_message_quality), aliases and casts every column and is time-limited; "latest" cards
// read only settled windows; charts that name their columns; a layout that fits the 24-column
// grid without overlaps.

import { readFileSync } from "node:fs";
import { parse } from "libpg-query";
import { describe, expect, it } from "vitest";
import { DefinitionError, loadDashboardDefinition, parseDashboardDefinition } from "../../metabase/definition.ts";

const definition = loadDashboardDefinition();
const METRIC_COLUMNS = ["window_end", "experiment_bucket", "num_leads", "num_scored", "true_positives", "false_positives", "true_negatives", "false_negatives", "precision", "recall", "f1_score", "accuracy", "conversion_rate", "revenue_dollars", "coupon_cost_dollars", "net_revenue_dollars", "net_revenue_per_lead_dollars"];
const MODEL_QUALITY_COLUMNS = ["window_end", "experiment_bucket", "num_scored", "num_positive", "mean_score", "roc_auc", "log_loss", "brier_score", "expected_calibration_error", "calibration_ratio"];
/** The served views a card may read, and their columns (a card may add a named constant). */
const VIEW_COLUMNS: Record<string, string[]> = {
  classifier_metrics: METRIC_COLUMNS,
  prediction_message_quality: ["window_end", "num_messages", "num_valid", "num_rejected", "most_common_rejection_reason"],
  model_quality_metrics: MODEL_QUALITY_COLUMNS,
  model_quality_reliability: ["window_end", "experiment_bucket", "score_decile", "num_scored", "num_positive", "mean_score", "observed_rate"],
  feature_drift: ["window_end", "model_version", "feature", "num_leads", "psi", "num_other_leads"],
  ab_test_metrics: ["window_end", "control_leads", "experiment_leads", "control_net_revenue_per_lead_dollars", "experiment_net_revenue_per_lead_dollars", "uplift_dollars_per_lead", "uplift_standard_error", "uplift_ci_low", "uplift_ci_high", "control_conversion_rate", "experiment_conversion_rate", "srm_chi_square", "control_observed_share", "control_expected_share"],
  monitoring_alerts: ["rule_name", "window_end", "value", "threshold", "signal", "subject"],
  scenario_incidents: ["run_id", "incident_id", "kind", "starts_at", "ends_at", "params"],
  pipeline_health: ["window_end", "leads", "scored_leads", "prediction_coverage", "prediction_messages", "duplicate_messages", "rejected_messages", "mean_prediction_latency_ms", "max_prediction_latency_ms", "mean_delivery_delay_ms", "max_delivery_delay_ms", "conversions", "conversions_after_horizon", "late_conversion_share"],
};
const readsView = (view: string) => (card: { sql: string }) => new RegExp(`\\bFROM ${view}\\b`).test(card.sql);
const PLAIN_TYPES = new Set(["timestamptz", "float8", "int8", "text"]);

interface Target {
  name?: string;
  val: { TypeCast?: { arg?: { A_Const?: unknown }; typeName: { names: Array<{ String: { sval: string } }> } }; ColumnRef?: { fields: Array<{ String?: { sval: string } }> } };
}

async function topSelect(sql: string) {
  const tree = await parse(sql);
  expect(tree.stmts).toHaveLength(1);
  return tree.stmts[0].stmt.SelectStmt as { targetList: Array<{ ResTarget: Target }>; fromClause: Array<{ RangeVar?: { relname: string } }> };
}

describe("the dashboard definition file", () => {
  it.each(definition.cards.map((c) => [c.name, c]))("%s: SQL reads one served view, aliases and casts every column", async (_name, card) => {
    const select = await topSelect(card.sql);
    const views = select.fromClause.map((f) => f.RangeVar?.relname);
    expect(views).toHaveLength(1);
    const columns = VIEW_COLUMNS[views[0] ?? ""];
    expect(columns, `${card.key} reads ${views[0]}`).toBeDefined();
    for (const { ResTarget: target } of select.targetList) {
      expect(target.name, `a column of ${card.key} has no alias`).toBeTruthy();
      const isNamedConstant = target.val.TypeCast?.arg?.A_Const !== undefined;
      if (!isNamedConstant) expect(columns).toContain(target.name);
      if (target.name === "experiment_bucket") continue;
      const type = target.val.TypeCast?.typeName.names.at(-1)?.String.sval;
      expect(PLAIN_TYPES, `${card.key}.${target.name} should be CAST to a plain type`).toContain(type);
    }
  });

  const windowed = definition.cards.filter((c) => !/FROM (monitoring_alerts|scenario_incidents)\b/.test(c.sql));
  it.each(windowed.map((c) => [c.name, c]))("%s: is limited to the view's 10-minute retention", (_name, card) => {
    expect(card.sql).toMatch(/WHERE mz_now\(\) <= (m\.)?window_end \+ INTERVAL '10 minutes'/);
  });

  it("compares what happened with what was noticed near the top: alerts firing now beside the incidents that started", () => {
    const alerts = definition.cards.find((c) => /FROM monitoring_alerts\b/.test(c.sql));
    const incidents = definition.cards.find((c) => /FROM scenario_incidents\b/.test(c.sql));
    // Firing now = a settled window (5 s grace) of the last 25 s, as alerts/sql/firing-alerts.sql says.
    const firingSql = readFileSync(new URL("../../alerts/sql/firing-alerts.sql", import.meta.url), "utf8");
    for (const bound of [/mz_now\(\) >= (a\.)?window_end \+ interval '5 seconds'/i, /mz_now\(\) < (a\.)?window_end \+ interval '25 seconds'/i]) {
      expect(alerts?.sql).toMatch(bound);
      expect(firingSql).toMatch(bound);
    }
    expect(alerts?.sql).toMatch(/ORDER BY window_end DESC/);
    expect(incidents?.sql).toMatch(/WHERE mz_now\(\) >= i\.starts_at/);
    expect(incidents?.sql).toMatch(/ORDER BY starts_at DESC/);
    const section = definition.texts.find((t) => /What happened vs what was noticed/.test(t.markdown));
    expect(section).toBeDefined();
    const below = (item: { position: { row: number; size_y: number } }) => item.position.row === section!.position.row + section!.position.size_y;
    expect(below(alerts!) && below(incidents!)).toBe(true);
    const firstChart = Math.min(...definition.cards.filter((c) => c.display === "line").map((c) => c.position.row));
    expect(alerts!.position.row).toBeLessThan(firstChart);
  });

  it("has a line chart over window_end with one series per experiment_bucket for each required metric", async () => {
    const lines = definition.cards.filter((c) => c.display === "line" && readsView("classifier_metrics")(c));
    const metrics = lines.map((c) => (c.visualization_settings["graph.metrics"] as string[])[0]).sort();
    expect(metrics).toEqual(["conversion_rate", "f1_score", "net_revenue_per_lead_dollars", "num_leads", "precision", "recall"]);
    for (const card of lines) {
      expect(card.visualization_settings["graph.dimensions"]).toEqual(["window_end", "experiment_bucket"]);
      expect(card.visualization_settings["graph.x_axis.scale"]).toBe("timeseries");
      const aliases = (await topSelect(card.sql)).targetList.map((t) => t.ResTarget.name);
      expect(aliases).toEqual(["window_end", "experiment_bucket", (card.visualization_settings["graph.metrics"] as string[])[0]]);
    }
  });

  it("charts the A/B uplift with its interval, the SRM χ² against 10.83, and the pipeline's health over window_end", async () => {
    const seriesOf = (view: string) =>
      definition.cards
        .filter((c) => c.display === "line" && new RegExp(`FROM ${view}\\b`).test(c.sql))
        .flatMap((c) => c.visualization_settings["graph.metrics"] as string[]);
    expect(seriesOf("ab_test_metrics")).toEqual(expect.arrayContaining(["uplift_dollars_per_lead", "uplift_ci_low", "uplift_ci_high", "srm_chi_square"]));
    expect(seriesOf("pipeline_health")).toEqual(expect.arrayContaining(["prediction_coverage", "duplicate_messages", "rejected_messages", "mean_prediction_latency_ms", "late_conversion_share"]));
    const srm = definition.cards.find((c) => /srm_chi_square/.test(c.sql));
    expect(srm?.sql).toMatch(/CAST\(10\.83 AS double precision\) AS srm_alarm_threshold/);
    const text = definition.texts.map((t) => t.markdown).join("\n");
    expect(text).toMatch(/fixed-horizon/);
    expect(text).toMatch(/10\.83/);
    for (const card of definition.cards.filter((c) => /FROM (ab_test_metrics|pipeline_health)/.test(c.sql))) {
      expect(card.visualization_settings["graph.dimensions"]).toEqual(["window_end"]);
      const aliases = (await topSelect(card.sql)).targetList.map((t) => t.ResTarget.name);
      expect(aliases).toEqual(["window_end", ...(card.visualization_settings["graph.metrics"] as string[])]);
    }
  });

  it.each(definition.cards.filter((c) => c.key.startsWith("latest_")).map((c) => [c.name, c]))(
    "%s: reads only windows whose 5-second grace period has passed, and says so",
    (_name, card) => {
      const grace = /mz_now\(\) >= (m\.)?window_end \+ INTERVAL '5 seconds'/;
      // A "latest window" table takes the max() over settled windows only.
      if (/max\(window_end\)/.test(card.sql)) {
        expect(card.sql).toMatch(/max\(window_end\) FROM classifier_metrics\s+WHERE mz_now\(\) >= window_end \+ INTERVAL '5 seconds'/);
      } else {
        expect(card.sql).toMatch(grace);
      }
      expect(card.description).toMatch(/5-second grace period/);
    },
  );

  it("counts rejected prediction messages on a card", () => {
    const card = definition.cards.find((c) => c.name === "Rejected prediction messages");
    expect(card?.sql).toMatch(/FROM prediction_message_quality/);
    expect(card?.sql).toMatch(/num_rejected/);
  });

  it("charts ROC AUC and calibration per bucket, and PSI per feature, over window_end", async () => {
    const lines = definition.cards.filter((c) => c.display === "line" && (readsView("model_quality_metrics")(c) || readsView("feature_drift")(c)));
    const series = lines.map((c) => [(c.visualization_settings["graph.metrics"] as string[])[0], (c.visualization_settings["graph.dimensions"] as string[])[1]]);
    expect(series).toEqual(
      expect.arrayContaining([
        ["roc_auc", "experiment_bucket"],
        ["calibration_ratio", "experiment_bucket"],
        ["expected_calibration_error", "experiment_bucket"],
        ["psi", "feature"],
      ]),
    );
    for (const card of lines) {
      const [x, series] = card.visualization_settings["graph.dimensions"] as string[];
      expect(x).toBe("window_end");
      expect(card.visualization_settings["graph.x_axis.scale"]).toBe("timeseries");
      const aliases = (await topSelect(card.sql)).targetList.map((t) => t.ResTarget.name);
      expect(aliases).toEqual(["window_end", series, (card.visualization_settings["graph.metrics"] as string[])[0]]);
    }
  });

  it("shows the reliability table of the latest window: predicted against observed per score decile", async () => {
    const table = definition.cards.find((c) => c.display === "table" && readsView("model_quality_reliability")(c));
    expect(table?.sql).toMatch(/max\(window_end\)/);
    const aliases = (await topSelect(table?.sql ?? "")).targetList.map((t) => t.ResTarget.name);
    expect(aliases).toEqual(expect.arrayContaining(["experiment_bucket", "score_decile", "mean_score", "observed_rate"]));
  });

  it("shows the latest values as numbers: a scalar F1 per bucket and a table of the latest window", () => {
    const scalars = definition.cards.filter((c) => c.display === "scalar").map((c) => c.name);
    expect(scalars).toEqual(expect.arrayContaining(["Latest F1 — control", "Latest F1 — experiment"]));
    expect(definition.cards.some((c) => c.display === "table" && /max\(window_end\)/.test(c.sql))).toBe(true);
  });

  it("explains label maturity (the 30 s horizon) and the control bucket in a text card", () => {
    const text = definition.texts.map((t) => t.markdown).join("\n");
    expect(text).toMatch(/30 s/);
    expect(text).toMatch(/control.*never gets a coupon/s);
    expect(text).toMatch(/hold-out/);
  });

  it("places every card inside the 24-column grid with no two cards sharing a cell", () => {
    const owner = new Map<string, string>();
    for (const item of [...definition.texts, ...definition.cards]) {
      const { row, col, size_x, size_y } = item.position;
      expect(col + size_x, `${item.key} sticks out of the grid`).toBeLessThanOrEqual(24);
      for (let r = row; r < row + size_y; r++) {
        for (let c = col; c < col + size_x; c++) {
          expect(owner.get(`${r},${c}`), `${item.key} overlaps at row ${r}, col ${c}`).toBeUndefined();
          owner.set(`${r},${c}`, item.key);
        }
      }
    }
  });

  it("rejects a definition whose cards overlap or stick out of the grid", () => {
    const yaml = (position: string) => `
database: { name: db }
collection: { name: c, description: d }
dashboard: { name: x, description: d, width: full }
texts: [{ key: t, markdown: hi, position: { row: 0, col: 0, size_x: 12, size_y: 2 } }]
cards: [{ key: a, name: A, description: d, display: scalar, visualization_settings: {}, sql: SELECT 1, position: ${position} }]`;
    expect(() => parseDashboardDefinition(yaml("{ row: 1, col: 11, size_x: 4, size_y: 2 }"))).toThrow(/t and a overlap/);
    expect(() => parseDashboardDefinition(yaml("{ row: 2, col: 20, size_x: 6, size_y: 2 }"))).toThrow(DefinitionError);
    expect(parseDashboardDefinition(yaml("{ row: 2, col: 18, size_x: 6, size_y: 2 }")).cards).toHaveLength(1);
  });
});
