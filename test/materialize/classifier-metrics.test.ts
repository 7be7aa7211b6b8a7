// Materialize itself: apply the real migrations, run the load generator live for a minute,
// and check that classifier_metrics in Materialize equals the reference engine (plain
// Postgres, same views) evaluated over the same rows at the same mz_now(), and that its
// row count stays bounded while the generator runs.
//
// Services: see support/stack.ts (the compose stack via LAB_* URLs, or three containers on
// one network; skipped with the reason printed when neither is available).

import { randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { migrateConfig } from "../../config/migrate.ts";
import { runMigration } from "../../scripts/migrate/run.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { readAllMessages } from "../helpers/kafka.ts";
import { labDatabase, type LabDatabase } from "../helpers/lab-database.ts";
import { withDatabase } from "../helpers/postgres.ts";
import { runTool, type ToolResult } from "../helpers/run-tool.ts";
import { insertDataset, type Dataset } from "../sql/support/dataset.ts";
import { dollarsText, expectSameMetrics, metricsAt, toMetricsRow, DOLLAR_COLUMNS, type MetricsRow } from "../sql/support/metrics.ts";
import { referenceDatabase, type ReferenceDatabase } from "../sql/support/reference-db.ts";
import { useMaterializeStack } from "./support/stack.ts";

const stack = await useMaterializeStack();

const GENERATOR_SECONDS = 60;
const GENERATOR_RATE = 80;
/** Buckets (control, experiment, unknown) × windows visible during the 10-minute retention. */
const MAX_METRICS_ROWS = 3 * 600;

describe.skipIf(!stack.available)("classifier_metrics in Materialize", () => {
  const suffix = randomBytes(4).toString("hex");
  const topic = `conversion_predictions_${suffix}`;
  const mzDatabase = `lab_test_${suffix}`;
  let upstream: LabDatabase;
  let mzAdmin: pg.Client;
  let mz: pg.Client;
  let reference: ReferenceDatabase | undefined;
  let generator: ToolResult;
  const sampledRowCounts: number[] = [];

  beforeAll(async () => {
    if (!stack.available) return;
    upstream = await labDatabase(stack.pgAdminUrl);
    await createTopic(stack.kafkaBrokers, topic);

    // A database of our own in Materialize, so a shared emulator's objects are never reused.
    mzAdmin = new pg.Client({ connectionString: stack.mzUrl });
    await mzAdmin.connect();
    await mzAdmin.query(`create database ${pg.escapeIdentifier(mzDatabase)}`);
    const mzUrl = withDatabase(stack.mzUrl, mzDatabase);
    const config = migrateConfig(
      { target: "materialize", url: mzUrl },
      {
        ...readEnv(),
        MZ_PG_HOST: stack.upstream.pgHost,
        MZ_PG_PORT: String(stack.upstream.pgPort),
        MZ_PG_DATABASE: new URL(upstream.adminUrl).pathname.slice(1),
        MZ_KAFKA_BROKER: stack.upstream.kafkaBroker,
        MZ_KAFKA_SECURITY_PROTOCOL: "PLAINTEXT",
        KAFKA_TOPIC: topic,
        MZ_PG_SLOT_CLEANUP_URL: upstream.adminUrl,
      },
    );
    await runMigration(config, { log: (line) => console.log(`[migrate] ${line}`) });
    await runMigration(config); // idempotent: the second run changes nothing and fails on nothing
    mz = new pg.Client({ connectionString: mzUrl });
    await mz.connect();

    const sampler = setInterval(() => {
      mz.query("select count(*) as n from classifier_metrics").then(
        (result) => sampledRowCounts.push(Number(result.rows[0]?.n)),
        () => undefined,
      );
    }, 5_000);
    try {
      generator = await runTool(
        "loadgen/main.ts",
        ["--mode", "live", "--profile", "default", "--seed", "7", "--rate", String(GENERATOR_RATE), "--duration-seconds", String(GENERATOR_SECONDS)],
        {
          env: { POSTGRES_URL: upstream.loadgenUrl, KAFKA_BROKERS: stack.kafkaBrokers.join(","), KAFKA_TOPIC: topic },
          timeoutMs: (GENERATOR_SECONDS + 120) * 1000,
        },
      );
    } finally {
      clearInterval(sampler);
    }

    reference = await referenceDatabase(stack.pgAdminUrl);
    await insertDataset(reference.client, await upstreamRows(upstream.adminUrl, stack.kafkaBrokers, topic));
  }, 900_000);

  afterAll(async () => {
    await mz?.end().catch(() => undefined);
    await mzAdmin?.query(`drop database if exists ${pg.escapeIdentifier(mzDatabase)} cascade`).catch(() => undefined);
    await mzAdmin?.end().catch(() => undefined);
    await reference?.[Symbol.asyncDispose]();
    if (upstream) {
      // Materialize drops its slot with the source; an inactive leftover would block DROP DATABASE.
      await dropInactiveSlots(stack.available ? stack.pgAdminUrl : "", new URL(upstream.adminUrl).pathname.slice(1));
      await Promise.resolve(upstream[Symbol.asyncDispose]()).catch(() => undefined);
    }
  });

  it("ran the load generator for the whole minute", () => {
    expect(generator.code, generator.stderr).toBe(0);
  });

  it("equals the reference engine over the same rows at the same mz_now()", async () => {
    const final = await expectEventually(
      () => bothAtOneTime(mz, reference!.client),
      ({ materialize, expected }) => expectSameMetrics(materialize, expected, "materialize vs reference"),
      { timeoutMs: 120_000, describe: "Materialize's classifier_metrics equals the reference evaluation" },
    );
    expect(final.materialize.length).toBeGreaterThan(0);
  });

  it("keeps its row count bounded while the generator runs", () => {
    expect(sampledRowCounts.length).toBeGreaterThan(GENERATOR_SECONDS / 10);
    expect(Math.max(...sampledRowCounts)).toBeLessThanOrEqual(MAX_METRICS_ROWS);
  });
});

/** Materialize's rows and the logical time they were read at, in ONE statement, and the
 *  reference evaluated at that time.
 *
 *  An ad hoc SELECT may put mz_now() in its select list, and it returns the timestamp that
 *  very read ran at. The left join from a one-row relation keeps that time when the view is
 *  empty. Not `begin; select mz_now(); select * from classifier_metrics; commit`: a read-only
 *  transaction's first statement fixes the objects (the "timedomain") the later ones may
 *  read, and `select mz_now()` references none, so the second read would be refused. */
const READ_WITH_TIME = `
  select mz_now()::timestamptz as lab_read_at, metrics.*
  from (select 1) as one
  left join classifier_metrics as metrics on true`;

async function bothAtOneTime(mz: pg.Client, reference: pg.Client): Promise<{ materialize: MetricsRow[]; expected: MetricsRow[] }> {
  const rows = (await mz.query<Record<string, unknown>>(READ_WITH_TIME)).rows;
  const readAt = rows[0]?.lab_read_at;
  if (readAt === undefined || readAt === null) throw new Error("Materialize returned no mz_now()");
  const nowMs = new Date(readAt as string | Date).getTime();
  if (!Number.isFinite(nowMs)) throw new Error(`unreadable mz_now(): ${String(readAt)}`);
  const raw = rows
    .filter((row) => row.window_end !== null && row.window_end !== undefined)
    .map(({ lab_read_at: _readAt, ...row }) => row);
  // Materialize may print numeric(20, 2) without trailing zeros: compare whole cents.
  const materialize = raw.map(toMetricsRow).map((row) => {
    const fixed: Record<string, unknown> = { ...row };
    for (const column of DOLLAR_COLUMNS) fixed[column] = dollarsText(Math.round(Number(row[column]) * 100));
    return fixed as unknown as MetricsRow;
  });
  return { materialize, expected: await metricsAt(reference, nowMs) };
}

/** The rows Materialize read: leads and coupons from upstream Postgres, predictions from Kafka. */
async function upstreamRows(upstreamUrl: string, brokers: string[], topic: string): Promise<Dataset> {
  const client = new pg.Client({ connectionString: upstreamUrl });
  await client.connect();
  try {
    const leads = await client.query("select id, created_at, converted_at, conversion_amount from public.leads");
    const coupons = await client.query("select id, lead_id, amount, created_at from public.coupons");
    const messages = await readAllMessages(brokers, topic);
    const ms = (value: unknown) => new Date(value as string | Date).getTime();
    return {
      leads: leads.rows.map((r) =>
        r.converted_at === null
          ? { id: Number(r.id), createdAtMs: ms(r.created_at) }
          : { id: Number(r.id), createdAtMs: ms(r.created_at), convertedAtMs: ms(r.converted_at), conversionAmountCents: Number(r.conversion_amount) },
      ),
      coupons: coupons.rows.map((r) => ({ id: Number(r.id), leadId: Number(r.lead_id), amountCents: Number(r.amount), createdAtMs: ms(r.created_at) })),
      // As Materialize read them: the raw value and the broker's timestamp.
      predictions: [],
      rawMessages: messages.map((m) => ({ text: m.value, receivedAtMs: m.timestampMs })),
    };
  } finally {
    await client.end();
  }
}

async function createTopic(brokers: string[], topic: string): Promise<void> {
  const admin = new Kafka({ clientId: "lab-test-materialize", brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function dropInactiveSlots(adminUrl: string, database: string): Promise<void> {
  if (!adminUrl) return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query("select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = $1 and not active", [database]);
  } catch {
    // Best effort: the database drop reports what is left.
  } finally {
    await client.end();
  }
}
