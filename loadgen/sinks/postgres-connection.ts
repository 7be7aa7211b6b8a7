// One Postgres connection that is opened again when it is lost: the generator's start-up
// connection (postgres.ts) and its writer's (postgres-thread.ts). A dropped connection is
// forgotten (its `error` event would otherwise crash the process), so the next use opens a
// fresh one; `drop` forgets one after a failed transaction, whose state is then unknown.

import pg from "pg";

export interface ReopeningConnection {
  /** The open connection, or a new one. */
  connected(): Promise<pg.Client>;
  /** Closes the connection (if any); the next `connected` opens a new one. */
  drop(): Promise<void>;
}

export function reopeningConnection(url: string): ReopeningConnection {
  let client: pg.Client | undefined;
  return {
    async connected() {
      if (client) return client;
      const fresh = new pg.Client({ connectionString: url, application_name: "lab-loadgen" });
      fresh.on("error", () => {
        if (client === fresh) client = undefined;
      });
      try {
        await fresh.connect();
      } catch (error) {
        await fresh.end().catch(() => {});
        throw error;
      }
      client = fresh;
      return fresh;
    },
    async drop() {
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
