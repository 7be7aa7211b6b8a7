// The Postgres writer's own thread (worker-thread.ts): it holds the connection that writes the
// batches (postgres-write.ts). The main thread builds each batch's COPY text (postgres-batch.ts)
// and asks; this thread sends it and answers. On its own thread the writer's protocol work
// overlaps the simulation, and each of a batch's round trips (begin, three COPYs, the
// conversions, commit) goes out as soon as the answer to the one before arrives, not when the
// simulation next lets the main thread's event loop turn. A batch that Kafka is still sending
// comes with a gate: its rows are copied at once and COMMIT waits until the main thread
// signals that Kafka has them (or rolls back if Kafka failed them).
//
// A failed write closes the connection, so the next request (the main thread's retry of the
// same, idempotent batch) opens a fresh one.

import { isTransient } from "../retry.ts";
import type { PostgresBatch } from "./postgres-batch.ts";
import { writeBatch } from "./postgres-write.ts";
import { serveRequests, threadData } from "./worker-thread.ts";
import { reopeningConnection } from "./postgres-connection.ts";
import { CommitGates } from "./commit-gates.ts";

export interface PostgresThreadData {
  url: string;
}

export type PostgresThreadRequest =
  | { op: "connect" | "disconnect" }
  /** `gate`: commit only once it is open (commit-gates.ts); absent: commit at once. */
  | { op: "write"; batch: PostgresBatch; gate?: number };

/** Signals (worker-thread.ts): Kafka has batch `gate` (open), or failed it (refused). */
export interface GateSignal {
  gate: number;
  open: boolean;
}

const { url } = threadData<PostgresThreadData>();
const connection = reopeningConnection(url);
const gates = new CommitGates();

serveRequests<PostgresThreadRequest>(async (request) => {
  switch (request.op) {
    case "connect":
      await connection.connected();
      return;
    case "write":
      try {
        const { batch, gate } = request;
        await writeBatch(await connection.connected(), batch, gate === undefined ? undefined : () => gates.passed(gate));
      } catch (error) {
        await connection.drop();
        throw error;
      }
      return;
    case "disconnect":
      return connection.drop();
  }
}, { isTransient }, (signal: GateSignal) => (signal.open ? gates.open(signal.gate) : gates.refuse(signal.gate)));
