// Which files each migration target runs, in which order, and how.

import { describe, expect, it } from "vitest";
import { migrateConfig } from "../../config/migrate.ts";
import { discoverSqlFiles, tagOf } from "../../scripts/migrate/discover.ts";
import { toPostgresDialect } from "../../scripts/migrate/dialect.ts";
import { REPO_ROOT } from "../../scripts/migrate/run.ts";
import { POSTGRES_SOURCE_FILE, SQL_TARGET_SPECS } from "../../scripts/migrate/targets.ts";

const URL_ = "postgres://u@127.0.0.1:1/db";
const filesOf = (target: "postgres" | "reference" | "materialize", env: Record<string, string> = {}) => {
  const config = migrateConfig({ target, url: URL_ }, env);
  const spec = SQL_TARGET_SPECS[target];
  return discoverSqlFiles(REPO_ROOT, spec.folders, spec.tags(config)).map((f) => f.path);
};

/** The first portable files, in their dependency order (other views may sit between them). */
const PORTABLE = [
  "materialize/30_staging/10_stg_leads.sql",
  "materialize/30_staging/20_stg_coupons.sql",
  "materialize/30_staging/25_stg_prediction_messages.sql",
  "materialize/30_staging/30_stg_predictions.sql",
  "materialize/40_per_lead/10_int_predictions_deduped.sql",
  "materialize/40_per_lead/20_int_coupons_per_lead.sql",
  "materialize/40_per_lead/30_int_leads_matured.sql",
  "materialize/40_per_lead/40_int_feature_drift_leads.sql",
  "materialize/50_metrics/10_int_lead_windows.sql",
  "materialize/50_metrics/20_classifier_window_metrics.sql",
  "materialize/50_metrics/30_int_model_quality_bins.sql",
  "materialize/50_metrics/31_int_model_quality_deciles.sql",
  "materialize/50_metrics/32_model_quality_window_metrics.sql",
  "materialize/50_metrics/33_model_quality_window_reliability.sql",
  "materialize/50_metrics/40_prediction_message_windows.sql",
  "materialize/50_metrics/70_int_feature_drift_counts.sql",
  "materialize/50_metrics/71_feature_drift_window_metrics.sql",
];

/** `expected` appears in `files` in this order (other files may lie between them). */
const inOrder = (files: readonly string[], expected: readonly string[]) => files.filter((f) => expected.includes(f));
/** The portable files of a plan: 30..50, untagged (a `.reference.sql` there is the reference's own). */
const portableOf = (files: readonly string[]) => files.filter((f) => /^materialize\/[3-5]\d_/.test(f) && tagOf(f.split("/").pop() ?? "") === undefined);

describe("the migration targets", () => {
  it("postgres runs the lab's Postgres schema in lexical order", () => {
    expect(filesOf("postgres")).toEqual([
      "postgres/10_tables.sql",
      "postgres/15_monitoring_tables.sql",
      "postgres/17_alert_rules.sql",
      "postgres/20_loadgen_state.sql",
      "postgres/30_publication.sql",
      "postgres/40_roles.sql",
    ]);
  });

  it("reference runs the schema, the stand-ins, the portable views and its own serving view", () => {
    const files = filesOf("reference");
    expect(files.slice(0, filesOf("postgres").length + 4)).toEqual([
      ...filesOf("postgres"),
      "materialize/reference/10_conversion_predictions_raw.sql",
      "materialize/reference/20_mz_now.sql",
      // The bridge's offsets and role: after the raw table its grants name.
      "bridge/schema/10_offsets_table.sql",
      "bridge/schema/20_bridge_role.sql",
    ]);
    expect(inOrder(files, PORTABLE)).toEqual(PORTABLE);
    expect(files).toContain("materialize/90_serving/10_classifier_metrics.reference.sql");
    // The parsed-message cache replaces the portable view right after it, before anything reads it.
    const cache = files.indexOf("materialize/30_staging/26_stg_prediction_messages_cache.reference.sql");
    expect(files[cache - 1]).toBe("materialize/30_staging/25_stg_prediction_messages.sql");
    expect(files[cache + 1]).toBe("materialize/30_staging/30_stg_predictions.sql");
    expect(files.filter((f) => f.startsWith("materialize/90_serving/")).every((f) => f.endsWith(".reference.sql"))).toBe(true);
    expect(files.findIndex((f) => f.startsWith("materialize/90_serving/"))).toBe(files.length - files.filter((f) => f.startsWith("materialize/90_serving/")).length);
  });

  it("materialize runs connections, sources, the same portable views and its serving files", () => {
    const files = filesOf("materialize");
    expect(files.slice(0, 4)).toEqual([
      "materialize/10_connections/10_postgres_connection.sql",
      "materialize/10_connections/20_kafka_connection.kafka-plain.sql",
      POSTGRES_SOURCE_FILE,
      "materialize/20_sources/20_kafka_source.sql",
    ]);
    expect(portableOf(files)).toEqual(portableOf(filesOf("reference"))); // the same portable views
    expect(inOrder(files, PORTABLE)).toEqual(PORTABLE);
    const serving = files.filter((f) => f.startsWith("materialize/90_serving/"));
    expect(inOrder(serving, ["materialize/90_serving/10_classifier_metrics.materialize.sql", "materialize/90_serving/20_classifier_metrics_index.materialize.sql"])).toHaveLength(2);
    expect(serving.every((f) => f.endsWith(".materialize.sql"))).toBe(true);
    expect(files.slice(-serving.length)).toEqual(serving);
  });

  it("picks the SASL Kafka connection when the security protocol uses SASL", () => {
    const env = { MZ_KAFKA_SECURITY_PROTOCOL: "SASL_SSL", MZ_KAFKA_SASL_USERNAME: "u", MZ_KAFKA_SASL_PASSWORD: "p" };
    expect(filesOf("materialize", env)).toContain("materialize/10_connections/20_kafka_connection.kafka-sasl.sql");
    expect(filesOf("materialize", env)).not.toContain("materialize/10_connections/20_kafka_connection.kafka-plain.sql");
  });

  it("never runs the *.checks.sql invariant files as migrations", () => {
    for (const target of ["postgres", "reference", "materialize"] as const) {
      expect(filesOf(target).filter((path) => path.endsWith(".checks.sql"))).toEqual([]);
    }
  });

  it("reads a file's tag from its name", () => {
    expect(tagOf("10_classifier_metrics.materialize.sql")).toBe("materialize");
    expect(tagOf("10_stg_leads.sql")).toBeUndefined();
  });
});

describe("the Postgres dialect of the reference target", () => {
  it("turns `create view if not exists` into `create or replace view`, and nothing else", () => {
    expect(toPostgresDialect("create view if not exists stg_leads as\nselect 1")).toBe("create or replace view stg_leads as\nselect 1");
    expect(toPostgresDialect("CREATE VIEW  IF NOT EXISTS v AS select 'create view if not exists'")).toBe(
      "create or replace view v AS select 'create view if not exists'",
    );
    expect(toPostgresDialect("create materialized view if not exists m as select 1")).toBe(
      "create materialized view if not exists m as select 1",
    );
  });
});
