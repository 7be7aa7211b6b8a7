// The Postgres writer's own thread (worker-thread.ts): it holds the connection that writes the
// batches (postgres-write.ts). The main thread builds each batch's COPY text (postgres-batch.ts)
// and asks; this thread sends it and answers. On its own thread the writer's protocol work
// overlaps the simulation, and each of a batch's round trips (begin, three COPYs, the
// conversions, commit) goes out as soon as the answer to the one before arrives, not when the
// simulation next lets the main thread's event loop turn.
//
// A failed write closes the connection, so the next request (the main thread's retry of the
// same, idempotent batch) opens a fresh one.

import { isTransient } from "../retry.ts";
import type { PostgresBatch } from "./postgres-batch.ts";
import { writeBatch } from "./postgres-write.ts";
import { serveRequests, threadData } from "./worker-thread.ts";
import { reopeningConnection } from "./postgres-connection.ts";

export interface PostgresThreadData {
  url: string;
}

export type PostgresThreadRequest =
  | { op: "connect" | "disconnect" }
  | { op: "write"; batch: PostgresBatch };

const { url } = threadData<PostgresThreadData>();
const connection = reopeningConnection(url);

serveRequests<PostgresThreadRequest>(async (request) => {
  switch (request.op) {
    case "connect":
      await connection.connected();
      return;
    case "write":
      try {
        await writeBatch(await connection.connected(), request.batch);
      } catch (error) {
        await connection.drop();
        throw error;
      }
      return;
    case "disconnect":
      return connection.drop();
  }
}, { isTransient });
