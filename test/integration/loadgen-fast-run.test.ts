import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDatabase, type LabDatabase } from "../helpers/lab-database.ts";
import { readAllMessages, testTopic } from "../helpers/kafka.ts";
import { runTool, type ToolResult } from "../helpers/run-tool.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();
const kafka = await useKafka();
const LEADS = 5_000;
const HORIZON_MS = 30_000;

describe.skipIf(!postgres.available || !kafka.available)("a fast run against real Postgres and Kafka", () => {
  let db: LabDatabase;
  let client: pg.Client;
  let run: ToolResult;
  let messages: { key: string | null; value: string }[];
  let stdoutRun: ToolResult;
  const topic = kafka.available ? testTopic(kafka.brokers, "fast_run") : "";
  const args = ["--mode", "fast", "--profile", "default", "--seed", "11", "--leads", String(LEADS)];

  beforeAll(async () => {
    if (!postgres.available || !kafka.available) return;
    db = await labDatabase(postgres.adminUrl);
    run = await runTool("loadgen/main.ts", [...args, "--sink", "postgres,kafka"], {
      env: { POSTGRES_URL: db.loadgenUrl, KAFKA_BROKERS: kafka.brokers.join(","), KAFKA_TOPIC: topic },
    });
    stdoutRun = await runTool("loadgen/main.ts", [...args, "--sink", "stdout"]);
    client = new pg.Client(db.adminUrl);
    await client.connect();
    messages = await readAllMessages(kafka.brokers, topic);
  });
  afterAll(async () => {
    await client?.end();
    await db?.[Symbol.asyncDispose]();
  });

  it("exits 0", () => {
    expect(run.code, run.stderr).toBe(0);
  });

  it("leaves exactly N leads with consecutive ids", async () => {
    const { rows } = await client.query("select count(*)::int as n, count(distinct id)::int as d, min(id)::int as lo, max(id)::int as hi from leads");
    expect(rows[0]).toEqual({ n: LEADS, d: LEADS, lo: 1, hi: LEADS });
  });

  it("sends one prediction message per lead, keyed by lead id", () => {
    expect(messages).toHaveLength(LEADS);
    const keys = new Set(messages.map((m) => m.key));
    expect(keys.size).toBe(LEADS);
    for (const m of messages) expect(JSON.parse(m.value).lead_id).toBe(Number(m.key));
  });

  it("sends the same predictions the stdout sink prints for the same seed", () => {
    const printed = stdoutRun.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.type === "prediction")
      .map(({ type: _t, ...rest }) => rest);
    const sent = messages.map((m) => JSON.parse(m.value) as Record<string, unknown>);
    const byLead = (xs: Record<string, unknown>[]) => [...xs].sort((a, b) => Number(a.lead_id) - Number(b.lead_id));
    expect(byLead(sent)).toEqual(byLead(printed));
  });

  it("gives coupons only to predicted negatives in the experiment bucket", async () => {
    const predictions = new Map(messages.map((m) => [Number(m.key), JSON.parse(m.value) as { experiment_bucket: string; label: boolean }]));
    const { rows } = await client.query<{ lead_id: string }>("select lead_id::text from coupons");
    expect(rows.length).toBeGreaterThan(0);
    for (const { lead_id } of rows) {
      const p = predictions.get(Number(lead_id));
      expect(p, `coupon for lead ${lead_id}`).toMatchObject({ experiment_bucket: "experiment", label: false });
    }
    const eligible = [...predictions.values()].filter((p) => p.experiment_bucket === "experiment" && !p.label).length;
    expect(rows.length).toBe(eligible);
  });

  it("writes conversions only within the 30 s horizon and applies every scheduled one", async () => {
    const { rows } = await client.query<{ converted: number; outside: number; pending: number; mismatched: number }>(`
      select
        (select count(*)::int from leads where converted_at is not null) as converted,
        (select count(*)::int from leads where converted_at <= created_at or converted_at > created_at + interval '${HORIZON_MS / 1000} seconds') as outside,
        (select count(*)::int from loadgen.scheduled_conversions s join leads l on l.id = s.lead_id where l.converted_at is null) as pending,
        (select count(*)::int from loadgen.scheduled_conversions s join leads l on l.id = s.lead_id
          where l.converted_at is distinct from s.due_at or l.conversion_amount is distinct from s.conversion_amount) as mismatched`);
    expect(rows[0]?.converted).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ outside: 0, pending: 0, mismatched: 0 });
    const printedConversions = stdoutRun.stdout.split("\n").filter((l) => l.includes('"type":"conversion"')).length;
    expect(rows[0]?.converted).toBe(printedConversions);
  });

  it("stores exactly the conversions the stdout sink prints, whether written with their lead or applied later", async () => {
    const printed = stdoutRun.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string; lead_id: number; converted_at: string; conversion_amount: number })
      .filter((e) => e.type === "conversion")
      .map((e) => `${e.lead_id} ${Date.parse(e.converted_at)} ${e.conversion_amount}`)
      .sort();
    const { rows } = await client.query<{ id: string; converted_at: Date; conversion_amount: number }>(
      "select id, converted_at, conversion_amount from leads where converted_at is not null");
    const stored = rows.map((r) => `${r.id} ${r.converted_at.getTime()} ${r.conversion_amount}`).sort();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).toEqual(printed);
  });

  it("writes timestamps from the simulated clock, starting at the configured instant", async () => {
    const { rows } = await client.query<{ first: Date }>("select min(created_at) as first from leads");
    const first = rows[0]?.first.getTime() ?? 0;
    expect(first).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1));
    expect(first).toBeLessThan(Date.UTC(2026, 0, 1, 0, 1));
  });
});
