import pg from "pg";
import { describe, expect, it } from "vitest";
import { testTopic } from "../helpers/kafka.ts";
import { labDatabase } from "../helpers/lab-database.ts";
import { withClient } from "../helpers/postgres.ts";
import { runTool } from "../helpers/run-tool.ts";
import { useKafka, usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();
const kafka = await useKafka();
const ready = postgres.available && kafka.available;

/** One last attempt runs at the deadline; a refused connection fails in milliseconds. */
const GIVE_UP_SLACK_MS = 1_000;

/** From the first log line (before any service is tried) to the fatal one, by the logs' own clock. */
function waitedMs(stderr: string): number {
  const times = stderr.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as { time: number; level: number });
  const first = times[0];
  const fatal = times.find((line) => line.level === 60);
  if (!first || !fatal) throw new Error(`no start and fatal log lines in:\n${stderr}`);
  return fatal.time - first.time;
}

const uniqueTopic = () => (kafka.available ? testTopic(kafka.brokers, "trouble") : "");

const query = <T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> =>
  withClient(url, async (client) => (await client.query<T>(sql)).rows);

describe("the load generator under trouble", () => {
  it("refuses a bad value with exit code 2, naming the flag, the value and what is allowed", async () => {
    const run = await runTool("loadgen/main.ts", ["--rate", "-3"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--rate");
    expect(run.stderr).toContain('"-3"');
    expect(run.stderr).toContain("a number > 0");
  });

  it("refuses a bad environment variable with exit code 2, naming the variable", async () => {
    const run = await runTool("loadgen/main.ts", [], { env: { LOADGEN_PROFILE: "gpt" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("LOADGEN_PROFILE");
    expect(run.stderr).toContain("default or aispy");
  });

  it("gives up on an unreachable Postgres after the configured connect timeout, not before, and says so", async () => {
    const run = await runTool("loadgen/main.ts", [
      "--sink", "postgres", "--postgres-url", "postgres://lab_loadgen:x@127.0.0.1:9/lab", "--connect-timeout-seconds", "3",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/could not connect to Postgres within 3 s \(the configured timeout, --connect-timeout-seconds/);
    expect(waitedMs(run.stderr), run.stderr).toBeGreaterThanOrEqual(3_000);
    expect(waitedMs(run.stderr), run.stderr).toBeLessThan(3_000 + GIVE_UP_SLACK_MS);
  });

  it.skipIf(!postgres.available)("exits 1 at once, naming Postgres, when Postgres refuses it outright", async () => {
    if (!postgres.available) return;
    const url = new URL(postgres.adminUrl);
    url.pathname = "/no_such_lab_database";
    const run = await runTool("loadgen/main.ts", ["--sink", "postgres", "--postgres-url", url.toString()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/loadgen: could not start: Postgres at postgres:\/\/.*no_such_lab_database: .*does not exist/);
  });

  it("gives up on an unreachable Kafka after the configured connect timeout, not before, and says so", async () => {
    const run = await runTool("loadgen/main.ts", ["--sink", "postgres,kafka", "--kafka-brokers", "127.0.0.1:9", "--connect-timeout-seconds", "3"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/could not reach Kafka and ensure the topic exists within 3 s \(the configured timeout, .*ECONNREFUSED/);
    expect(waitedMs(run.stderr), run.stderr).toBeGreaterThanOrEqual(3_000);
    expect(waitedMs(run.stderr), run.stderr).toBeLessThan(3_000 + GIVE_UP_SLACK_MS);
  });

  it.skipIf(!ready)("stops within a few seconds on SIGTERM, and a restart applies the conversions that were pending", async () => {
    if (!postgres.available || !kafka.available) return;
    await using db = await labDatabase(postgres.adminUrl);
    const env = { POSTGRES_URL: db.loadgenUrl, KAFKA_BROKERS: kafka.brokers.join(","), KAFKA_TOPIC: uniqueTopic() };

    // Signalled once a stats line shows leads written and conversions pending, not after a fixed
    // time: on a loaded machine the generator may have written nothing in the first seconds.
    const writtenWithPending = /"leads":([2-9]\d\d|\d{4,}),[^\n]*"pendingConversions":[1-9]/;
    const live = await runTool("loadgen/main.ts", ["--mode", "live", "--rate", "200", "--seed", "3", "--stats-interval-seconds", "1"], {
      env, signal: { name: "SIGTERM", whenStderr: writtenWithPending },
    });
    expect(live.code, live.stderr).toBe(0);
    expect(live.exitAfterSignalMs).toBeLessThan(5_000);
    const [before] = await query<{ leads: number; pending: number }>(db.adminUrl, `
      select (select count(*)::int from leads) as leads,
             (select count(*)::int from loadgen.scheduled_conversions s join leads l on l.id = s.lead_id where l.converted_at is null) as pending`);
    expect(before?.leads).toBeGreaterThan(100);
    expect(before?.pending, "conversions still pending when the generator stopped").toBeGreaterThan(0);

    const restart = await runTool("loadgen/main.ts", ["--mode", "fast", "--leads", "500", "--seed", "3"], { env });
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stderr).toContain("restoredConversions");
    const [after] = await query<{ leads: number; distinct_ids: number; max_id: number; pending: number; wrong: number }>(db.adminUrl, `
      select (select count(*)::int from leads) as leads,
             (select count(distinct id)::int from leads) as distinct_ids,
             (select max(id)::int from leads) as max_id,
             (select count(*)::int from loadgen.scheduled_conversions s join leads l on l.id = s.lead_id where l.converted_at is null) as pending,
             (select count(*)::int from loadgen.scheduled_conversions s join leads l on l.id = s.lead_id
               where l.converted_at is distinct from s.due_at) as wrong`);
    expect(after).toEqual({
      leads: (before?.leads ?? 0) + 500, distinct_ids: (before?.leads ?? 0) + 500, max_id: (before?.leads ?? 0) + 500, pending: 0, wrong: 0,
    });
  });

  it.skipIf(!ready)("reconnects when its Postgres connection is killed mid-run, writing no lead twice", async () => {
    if (!postgres.available || !kafka.available) return;
    await using db = await labDatabase(postgres.adminUrl);
    const env = { POSTGRES_URL: db.loadgenUrl, KAFKA_BROKERS: kafka.brokers.join(","), KAFKA_TOPIC: uniqueTopic() };
    const kills: number[] = [];
    const killer = setInterval(() => {
      void query<{ killed: number }>(db.adminUrl, `
        select count(pg_terminate_backend(pid))::int as killed from pg_stat_activity
        where application_name = 'lab-loadgen' and datname = current_database()`)
        .then((r) => kills.push(r[0]?.killed ?? 0))
        .catch(() => {}); // the database may already be going away at the end
    }, 1_500);
    const run = await runTool("loadgen/main.ts", ["--mode", "live", "--rate", "300", "--seed", "5", "--duration-seconds", "7"], { env });
    clearInterval(killer);
    expect(run.code, run.stderr).toBe(0);
    expect(kills.reduce((a, b) => a + b, 0), "connections killed").toBeGreaterThan(0);
    const [row] = await query<{ leads: number; distinct_ids: number; max_id: number }>(db.adminUrl,
      "select count(*)::int as leads, count(distinct id)::int as distinct_ids, max(id)::int as max_id from leads");
    expect(row?.leads).toBeGreaterThan(1_000);
    expect(row?.distinct_ids).toBe(row?.leads);
    expect(row?.max_id, "ids have no gaps: every lead was written after the reconnects").toBe(row?.leads);
  });
});
