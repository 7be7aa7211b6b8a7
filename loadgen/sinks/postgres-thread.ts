// The Postgres writer's own thread (worker-thread.ts): it holds the connection that writes the
// batches (postgres-write.ts). The main thread builds each batch's COPY text (postgres-batch.ts)
// and asks; this thread sends it and answers. On its own thread the writer's protocol work
// overlaps the simulation, and each of a batch's round trips (begin, three COPYs, the
// conversions, commit) goes out as soon as the answer to the one before arrives, not when the
// simulation next lets the main thread's event loop turn.
//
// A failed write closes the connection, so the next request (the main thread's retry of the
// same, idempotent batch) opens a fresh one.

import pg from "pg";
import { isTransient } from "../retry.ts";
import type { PostgresBatch } from "./postgres-batch.ts";
import { writeBatch } from "./postgres-write.ts";
import { serveRequests, threadData } from "./worker-thread.ts";

export interface PostgresThreadData {
  url: string;
}

export type PostgresThreadRequest =
  | { op: "connect" | "disconnect" }
  | { op: "write"; batch: PostgresBatch };

const { url } = threadData<PostgresThreadData>();
let client: pg.Client | undefined;

async function connected(): Promise<pg.Client> {
  if (client) return client;
  const fresh = new pg.Client({ connectionString: url, application_name: "lab-loadgen" });
  fresh.on("error", () => {
    if (client === fresh) client = undefined; // a dropped connection: the next request reconnects
  });
  try {
    await fresh.connect();
  } catch (error) {
    await fresh.end().catch(() => {});
    throw error;
  }
  client = fresh;
  return fresh;
}

async function disconnect(): Promise<void> {
  const c = client;
  client = undefined;
  await c?.end().catch(() => {});
}

serveRequests<PostgresThreadRequest>(async (request) => {
  switch (request.op) {
    case "connect":
      await connected();
      return;
    case "write":
      try {
        await writeBatch(await connected(), request.batch);
      } catch (error) {
        await disconnect();
        throw error;
      }
      return;
    case "disconnect":
      return disconnect();
  }
}, { isTransient });
