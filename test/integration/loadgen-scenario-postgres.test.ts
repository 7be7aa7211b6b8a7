import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDatabase, type LabDatabase } from "../helpers/lab-database.ts";
import { readAllMessages } from "../helpers/kafka.ts";
import { runTool, type ToolResult } from "../helpers/run-tool.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";

// A scenario run on real Postgres and Kafka, stopped and started again in the middle of an
// incident: the ground truth is written once and the timeline stays where it was.

const postgres = await usePostgres();
const kafka = await useKafka();
const T0 = Date.UTC(2026, 0, 1);

const dir = mkdtempSync(join(tmpdir(), "lab-scenario-pg-"));
const scenarioPath = join(dir, "restart.yaml");
writeFileSync(scenarioPath, `name: restart-test
incidents:
  - { kind: split_bug, at: 30s, for: 60s, params: { control_share: 0.05 } }
  - { kind: duplicate_predictions, at: 40s, for: 10s, params: { copies: 2 } }
`);

const FACTS_SQL = {
  incidents: "select run_id, incident_id, kind, starts_at, ends_at, params from scenario_incidents order by run_id, incident_id",
  design: "select experiment_bucket, expected_share from experiment_design order by 1",
  reference: "select model_version, feature, value, reference_count::int from model_reference_distribution order by 1, 2, 3",
  runs: "select run_id, scenario_name, started_at from loadgen.runs order by started_at, run_id",
};

describe.skipIf(!postgres.available || !kafka.available)("a scenario run on Postgres and Kafka, restarted mid-incident", () => {
  let db: LabDatabase;
  let client: pg.Client;
  const topic = `scenario_predictions_${randomBytes(4).toString("hex")}`;
  const runs: ToolResult[] = [];
  const facts: Record<keyof typeof FACTS_SQL, unknown[]>[] = [];
  const run = (leads: number, scenario = scenarioPath) => runTool(
    "loadgen/main.ts",
    ["--mode", "fast", "--seed", "3", "--leads", String(leads), "--sink", "postgres,kafka", "--scenario", scenario],
    { env: { POSTGRES_URL: db.loadgenUrl, KAFKA_BROKERS: kafka.available ? kafka.brokers.join(",") : "", KAFKA_TOPIC: topic } },
  );
  const readFacts = async () => {
    const read: Record<string, unknown[]> = {};
    for (const [key, query] of Object.entries(FACTS_SQL)) read[key] = (await client.query(query)).rows;
    return read as Record<keyof typeof FACTS_SQL, unknown[]>;
  };

  beforeAll(async () => {
    if (!postgres.available || !kafka.available) return;
    db = await labDatabase(postgres.adminUrl);
    client = new pg.Client(db.adminUrl);
    await client.connect();
    runs.push(await run(4_000)); // about 50 s of simulated time: stops inside the split_bug
    facts.push(await readFacts());
    runs.push(await run(6_000)); // continues from about 50 s to about 125 s
    facts.push(await readFacts());
  }, 180_000);
  afterAll(async () => {
    await client?.end();
    await db?.[Symbol.asyncDispose]();
    if (kafka.available) {
      const admin = new Kafka({ clientId: "lab-test-cleanup", brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("exits 0 both times, the second time resuming the same run", () => {
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs[0]!.stderr).toMatch(/"resumed":false/);
    expect(runs[1]!.stderr).toMatch(/"resumed":true/);
  });

  it("writes the incidents once, on the first run's clock, and the restart leaves the same rows", async () => {
    const rows = facts[0]!.incidents as { run_id: string; starts_at: Date; ends_at: Date; kind: string; params: unknown }[];
    expect(rows.map((r) => [r.run_id, r.kind, r.starts_at.getTime() - T0, r.ends_at.getTime() - T0, r.params])).toEqual([
      ["restart-test@2026-01-01T00:00:00.000Z", "split_bug", 30_000, 90_000, { control_share: 0.05 }],
      ["restart-test@2026-01-01T00:00:00.000Z", "duplicate_predictions", 40_000, 50_000, { copies: 2 }],
    ]);
    expect(facts[1]).toEqual(facts[0]);
    expect(facts[0]!.runs).toHaveLength(1);
  });

  it("writes the configured experiment design", () => {
    expect(facts[0]!.design).toEqual([
      { experiment_bucket: "control", expected_share: 0.2 },
      { experiment_bucket: "experiment", expected_share: 0.8 },
    ]);
  });

  it("keeps the timeline across the restart: the split is broken for leads created 30 s to 90 s after the first start", async () => {
    const messages = await readAllMessages(kafka.available ? kafka.brokers : [], topic);
    const bucketOf = new Map(messages.map((m) => [Number(m.key), (JSON.parse(m.value) as { experiment_bucket: string }).experiment_bucket]));
    const { rows } = await client.query<{ id: string; created_at: Date }>("select id::text, created_at from leads order by id");
    expect(rows).toHaveLength(10_000);
    const controlShare = (fromS: number, untilS: number) => {
      const span = rows.filter((r) => r.created_at.getTime() >= T0 + fromS * 1000 && r.created_at.getTime() < T0 + untilS * 1000);
      return { n: span.length, share: span.filter((r) => bucketOf.get(Number(r.id)) === "control").length / span.length };
    };
    const se = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);
    const broken = controlShare(55, 90); // written by the restarted run, inside the original span
    const healthy = controlShare(90, 200); // a timeline re-anchored at the restart would still be broken here
    expect(broken.n).toBeGreaterThan(2_000);
    expect(healthy.n).toBeGreaterThan(2_000);
    expect(Math.abs(broken.share - 0.05)).toBeLessThan(5 * se(0.05, broken.n));
    expect(Math.abs(healthy.share - 0.2)).toBeLessThan(5 * se(0.2, healthy.n));
  });

  it("sends duplicate predictions to Kafka while writing each lead once to Postgres", async () => {
    const messages = await readAllMessages(kafka.available ? kafka.brokers : [], topic);
    const copies = new Map<number, number>();
    for (const m of messages) copies.set(Number(m.key), (copies.get(Number(m.key)) ?? 0) + 1);
    const { rows } = await client.query<{ id: string; created_at: Date }>("select id::text, created_at from leads");
    for (const r of rows) {
      const offsetMs = r.created_at.getTime() - T0;
      expect(copies.get(Number(r.id)), `lead ${r.id} at ${offsetMs} ms`).toBe(offsetMs >= 40_000 && offsetMs < 50_000 ? 2 : 1);
    }
  });

  it("writes a reference of 100,000 baseline leads, the same as a plain stdout run of the reference seed counts", async () => {
    const baseline = await runTool("loadgen/main.ts", ["--mode", "fast", "--seed", "model-reference", "--leads", "100000", "--sink", "stdout", "--log-level", "silent"]);
    const expected = new Map<string, number>();
    const bump = (key: string) => expected.set(key, (expected.get(key) ?? 0) + 1);
    for (const line of baseline.stdout.trimEnd().split("\n")) {
      const event = JSON.parse(line) as { type: string; score?: number; utm_source?: string };
      if (event.type === "prediction") bump(`score_decile ${Math.min(Math.floor(event.score! * 10), 9)}`);
      if (event.type === "lead") bump(`utm_source ${event.utm_source}`);
    }
    const stored = facts[0]!.reference as { model_version: string; feature: string; value: string; reference_count: number }[];
    expect(new Set(stored.map((r) => r.model_version))).toEqual(new Set(["lab-logit-1"]));
    expect(new Map(stored.map((r) => [`${r.feature} ${r.value}`, r.reference_count]))).toEqual(expected);
  });

  it("starts a new run, with its own start, when the scenario changes", async () => {
    const other = await run(1_000, "steady");
    expect(other.code, other.stderr).toBe(0);
    const after = await readFacts();
    expect((after.runs as { scenario_name: string }[]).map((r) => r.scenario_name)).toEqual(["restart-test", "steady"]);
    expect(after.incidents).toEqual(facts[0]!.incidents);
  });
});
