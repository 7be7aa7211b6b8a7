// Before Materialize's Postgres source is created, the migration drops the inactive
// `materialize%` replication slots that earlier emulators left in the lab's database — and
// leaves them alone when the source already exists.

import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateConfig } from "../../config/migrate.ts";
import type { HookContext } from "../../scripts/migrate/apply.ts";
import { dropStaleReplicationSlots } from "../../scripts/migrate/slots.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";

const pg_ = await usePostgres();

/** Stands in for Materialize's catalog: answers "does pg_source exist?" with `sources`. */
const materializeWith = (sources: number) => ({ query: async () => ({ rows: [{ sources }] }) }) as unknown as pg.Client;

describe.skipIf(!pg_.available)("the stale replication slot cleanup", () => {
  let db: TestDatabase;
  let admin: pg.Client;
  const slotName = `materialize_lab_test_${randomBytes(4).toString("hex")}`;
  const slots = async () =>
    (await admin.query("select slot_name from pg_replication_slots where database = current_database() order by 1")).rows.map((r) => r.slot_name);

  beforeAll(async () => {
    if (!pg_.available) return;
    db = await createTestDatabase(pg_.adminUrl);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query("select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = current_database()").catch(() => undefined);
    await admin?.end();
    await db?.drop();
  });

  const hookContext = (sources: number, lines: string[]): HookContext => ({
    client: materializeWith(sources),
    config: migrateConfig({ target: "materialize" }, { MZ_PG_SLOT_CLEANUP_URL: db.url }),
    log: (line) => lines.push(line),
  });

  it("drops an inactive materialize% slot of the lab's database when the source is new", async () => {
    await admin.query("select pg_create_logical_replication_slot($1, 'pgoutput')", [slotName]);
    const lines: string[] = [];
    await dropStaleReplicationSlots(hookContext(0, lines));
    expect(await slots()).toEqual([]);
    expect(lines).toEqual([`dropped stale replication slots: ${slotName}`]);
  });

  it("leaves the slots alone when the source already exists", async () => {
    await admin.query("select pg_create_logical_replication_slot($1, 'pgoutput')", [slotName]);
    const lines: string[] = [];
    await dropStaleReplicationSlots(hookContext(1, lines));
    expect(await slots()).toEqual([slotName]);
    expect(lines).toEqual(["source pg_source exists: upstream replication slots left alone"]);
  });
});
