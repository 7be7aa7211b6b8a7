// Stopping in order: once the generator has stopped, the bridge gets a bounded while to store
// what is still in the topic, so that a stopped lab holds every prediction the generator sent.
// Caught up means: for each partition, the bridge's stored position (lab_bridge.consumed_offsets,
// read as the superuser) has reached the topic's end. Given up after `timeoutMs`: what is left
// stays in Kafka, and the next run's bridge stores it.

import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";

const READ_OFFSETS = readFileSync(new URL("../../bridge/sql/read-offsets.sql", import.meta.url), "utf8");

const POLL_MS = 250;

export interface DrainTarget {
  labUrl: string;
  brokers: readonly string[];
  topic: string;
}

/** Resolves true once the bridge has stored the whole topic, false after `timeoutMs`. */
export async function waitForBridgeToCatchUp(target: DrainTarget, timeoutMs: number): Promise<boolean> {
  const admin = new Kafka({ clientId: "lab-drain", brokers: [...target.brokers], logLevel: logLevel.NOTHING, connectionTimeout: 3_000 }).admin();
  const client = new pg.Client({ connectionString: target.labUrl });
  const deadline = Date.now() + timeoutMs;
  try {
    await Promise.all([admin.connect(), client.connect()]);
    while (Date.now() < deadline) {
      if (await caughtUp(admin, client, target.topic)) return true;
      await sleep(POLL_MS);
    }
    return false;
  } finally {
    await Promise.allSettled([admin.disconnect(), client.end()]);
  }
}

async function caughtUp(admin: ReturnType<Kafka["admin"]>, client: pg.Client, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const { rows } = await client.query<{ partition: number; next_offset: string }>(READ_OFFSETS, [topic]);
  const stored = new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
  return ends.every((end) => BigInt(end.high) <= BigInt(end.low) || (stored.get(end.partition) ?? -1n) >= BigInt(end.high));
}
