// Builds the sinks the config names, waiting (bounded) for their services, and reads where
// an earlier run stopped: the next lead id and the conversions it never applied. `recordRun`
// anchors the scenario's timeline where the sinks can keep it (run-record.ts).

import type { Logger } from "pino";
import type { LoadgenConfig } from "../config/loadgen.ts";
import type { ConversionEvent } from "./sim/events.ts";
import type { ReferenceRow } from "./sim/reference.ts";
import { kafkaSink } from "./sinks/kafka.ts";
import { postgresSink, type ResumePoint } from "./sinks/postgres.ts";
import { sinkChain, type Sink } from "./sinks/sink.ts";
import { stdoutSink } from "./sinks/stdout.ts";
import { redactUrl } from "../config/redact.ts";
import { describe, GaveUpError, retrying, type RetryPolicy } from "./retry.ts";
import { incidentLine, incidentRows, newRunAnchor, type RunAnchor, type RunFacts } from "./run-record.ts";

export interface OpenedSinks {
  sink: Sink;
  resume: ResumePoint;
  pending: ConversionEvent[];
  /** Finds or starts the run; writes its ground truth (Postgres rows, or stdout lines before any event). */
  recordRun(facts: RunFacts): Promise<RunAnchor>;
  /** Present when a sink stores the model reference (Postgres). */
  writeReference?: (rows: readonly ReferenceRow[]) => Promise<void>;
}

export async function openSinks(config: LoadgenConfig, log: Logger): Promise<OpenedSinks> {
  const retry: RetryPolicy = {
    timeoutMs: config.connectTimeoutSeconds * 1000,
    timeoutSetting: "--connect-timeout-seconds / LOADGEN_CONNECT_TIMEOUT_SECONDS",
    onRetry: (what, attempt, error, delayMs) => log.warn({ attempt, delayMs, error: describe(error) }, `retrying: ${what}`),
  };
  if (config.sink.includes("stdout")) {
    const recordRun = async (facts: RunFacts) => {
      const anchor = newRunAnchor(facts);
      for (const row of incidentRows(facts, anchor)) process.stdout.write(`${incidentLine(row)}\n`);
      return anchor;
    };
    return { sink: stdoutSink(process.stdout), resume: { lastLeadId: 0, lastCreatedAtMs: undefined }, pending: [], recordRun };
  }
  const opened: Sink[] = [];
  let resume: ResumePoint = { lastLeadId: 0, lastCreatedAtMs: undefined };
  let pending: ConversionEvent[] = [];
  // Kafka alone keeps no state: each start is a new run.
  let recordRun = async (facts: RunFacts) => newRunAnchor(facts);
  let writeReference: OpenedSinks["writeReference"];
  try {
    // Kafka first: a crash between the two writes then re-sends a prediction (de-duplicated
    // downstream) instead of losing one.
    if (config.sink.includes("kafka")) {
      opened.push(await naming(`Kafka at ${config.kafkaBrokers.join(",")}`, () => kafkaSink({
        brokers: config.kafkaBrokers,
        topic: config.kafkaTopic,
        retry,
        warn: (message, detail) => log.warn(detail, message),
      })));
    }
    if (config.sink.includes("postgres")) {
      const pg = await naming(`Postgres at ${redactUrl(config.postgresUrl)}`, () => postgresSink(config.postgresUrl, retry));
      opened.push(pg);
      resume = await retrying("read where the last run stopped", retry, () => pg.resumePoint());
      pending = await retrying("read the pending conversions", retry, () => pg.pendingConversions());
      log.info({ nextLeadId: resume.lastLeadId + 1, restoredConversions: pending.length }, "resuming after earlier runs");
      recordRun = (facts) => pg.recordRun(facts);
      writeReference = (rows) => pg.writeReference(rows);
    }
  } catch (error) {
    for (const sink of opened) await sink[Symbol.asyncDispose]();
    throw error;
  }
  return { sink: sinkChain(opened), resume, pending, recordRun, writeReference };
}

/** A start-up failure that is not a timeout (a wrong password, say) still names the service. */
async function naming<T>(service: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof GaveUpError) throw error;
    throw new Error(`${service}: ${describe(error)}`, { cause: error });
  }
}
