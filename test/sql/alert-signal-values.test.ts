// int_alert_signal_values, the long form every alert rule reads, holds exactly the values of
// the signal views it names: for a simulated run of the default profile on the reference
// engine, each (view, column, bucket or feature, window) is re-derived here from the served
// views themselves and compared with the long form, row for row.

import { describe, expect, it } from "vitest";
import { makeProfile } from "../../loadgen/sim/profiles/index.ts";
import { referenceDistribution } from "../../loadgen/sim/reference.ts";
import { usePostgres } from "../helpers/services.ts";
import { insertDataset } from "./support/dataset.ts";
import { setDesign } from "./support/experiment-design.ts";
import { insertReference } from "./support/feature-drift.ts";
import { referenceDatabaseForSuite } from "./support/reference-db.ts";
import { simulateDataset } from "./support/simulated-dataset.ts";

const pg = await usePostgres();

type Row = Record<string, unknown> & { window_end: Date };
interface LongRow { signal: string; subject: string | null; window_end: string; value: number; num_leads: number; hop_seconds: number }

/** Per served view: the columns a rule can name, the subject column, the sample size and the hop. */
const SOURCES = [
  { view: "model_quality_metrics", subject: "experiment_bucket", leads: (r: Row) => Number(r.num_scored), hop: 1,
    columns: ["roc_auc", "calibration_ratio", "mean_score", "log_loss", "brier_score", "expected_calibration_error"] },
  { view: "feature_drift", subject: "feature", leads: (r: Row) => Number(r.num_leads), hop: 1, columns: ["psi"] },
  { view: "ab_test_metrics", subject: null, leads: (r: Row) => Number(r.control_leads) + Number(r.experiment_leads), hop: 10,
    columns: ["srm_chi_square", "uplift_dollars_per_lead", "uplift_ci_high", "uplift_ci_low", "control_conversion_rate", "experiment_conversion_rate"] },
  { view: "pipeline_health", subject: null, leads: (r: Row) => Number(r.leads), hop: 10,
    columns: ["prediction_coverage", "duplicate_messages", "rejected_messages", "late_conversion_share"] },
] as const;

const key = (r: LongRow) => `${r.signal}|${r.subject ?? ""}|${r.window_end}`;

describe.skipIf(!pg.available)("int_alert_signal_values (reference engine)", () => {
  const reference = referenceDatabaseForSuite(pg.available ? pg.adminUrl : undefined);

  it("holds every non-NULL value of every signal a rule can name, with its subject, sample size and hop", async () => {
    const client = reference().client;
    const run = simulateDataset({ profile: "default", seed: "alert-signals", leads: 4_000, ratePerSecond: 40, startMs: Date.UTC(2026, 0, 1) });
    await insertDataset(client, run.data);
    await setDesign(client, { control: 0.2, experiment: 0.8 });
    await insertReference(client, referenceDistribution(makeProfile("default")).map((r) => ({ modelVersion: r.model_version, feature: r.feature, value: r.value, count: r.reference_count })));
    await client.query("select set_config('lab.now', $1, false)", [new Date(run.lastCreatedMs + 40_000).toISOString()]);

    const expected: LongRow[] = [];
    for (const source of SOURCES) {
      const { rows } = await client.query<Row>(`select * from ${source.view}`);
      for (const row of rows) {
        for (const column of source.columns) {
          if (row[column] === null) continue;
          expected.push({
            signal: `${source.view}.${column}`, subject: source.subject === null ? null : String(row[source.subject]),
            window_end: row.window_end.toISOString(), value: Number(row[column]), num_leads: source.leads(row), hop_seconds: source.hop,
          });
        }
      }
    }
    const { rows } = await client.query<Omit<LongRow, "window_end" | "num_leads"> & { window_end: Date; num_leads: string }>("select * from int_alert_signal_values");
    const actual = rows.map((r) => ({ ...r, window_end: r.window_end.toISOString(), num_leads: Number(r.num_leads) }));
    expect(actual.length).toBe(expected.length);
    expect(actual.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
    // Every signal appears (the run is long enough for 5-minute A/B windows to hold both buckets).
    expect(new Set(actual.map((r) => r.signal)).size).toBeGreaterThanOrEqual(17);
  });
});
