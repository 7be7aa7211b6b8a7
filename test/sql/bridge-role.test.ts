// The bridge's least-privileged role (bridge/schema/20_bridge_role.sql) on real Postgres: the
// bridge's store works as lab_bridge, and lab_bridge is refused everything else (leads, the raw
// table's rows, deleting offsets, creating tables). A bridge on an unmigrated database says
// which migration to run.

import pg from "pg";
import { describe, expect, it } from "vitest";
import { BridgeSetupError, openStore } from "../../bridge/store.ts";
import { createTestDatabase, withClient } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";
import { bridgeRoleUrl, migrateReference, referenceDatabaseForSuite } from "./support/reference-db.ts";

const postgres = await usePostgres();
const PERMISSION_DENIED = "42501";
const RECEIVED_AT = new Date("2026-01-01T00:00:00Z");

/** The SQLSTATE a statement fails with as lab_bridge, or "ok" when it succeeds. */
async function outcomeAsBridge(url: string, statement: string): Promise<string> {
  return withClient(bridgeRoleUrl(url), async (client) => {
    try {
      await client.query(statement);
      return "ok";
    } catch (error) {
      return (error as pg.DatabaseError).code ?? String(error);
    }
  });
}

describe.skipIf(!postgres.available)("the bridge's role lab_bridge", () => {
  const db = referenceDatabaseForSuite(postgres.available ? postgres.adminUrl : undefined);

  it("lets the bridge's store append predictions and keep its offsets", async () => {
    const store = await openStore(bridgeRoleUrl(db().url), "role-test");
    try {
      const messages = [0n, 1n, 2n].map((offset) => ({ offset, text: `m${offset}`, receivedAt: RECEIVED_AT }));
      expect(await store.storeBatch(0, { firstOffset: 0n, nextOffset: 3n, messages })).toMatchObject({ stored: 3, nextOffset: 3n });
      expect(await store.readOffsets()).toEqual(new Map([[0, 3n]]));
    } finally {
      await store.close();
    }
    const { rows } = await db().client.query(`select "text" from conversion_predictions_raw where "text" like 'm%' order by "text"`);
    expect(rows.map((row) => row.text)).toEqual(["m0", "m1", "m2"]);
  });

  it("is refused reading or writing the shop's tables, reading the raw table, deleting offsets and creating tables", async () => {
    const attempts = {
      readLeads: "select count(*) from leads",
      insertLead: "insert into leads (id) values (-1)",
      updateCoupons: "update coupons set lead_id = lead_id",
      readRaw: "select count(*) from conversion_predictions_raw",
      deleteRaw: "delete from conversion_predictions_raw",
      readView: "select count(*) from classifier_metrics",
      deleteOffsets: "delete from lab_bridge.consumed_offsets",
      createInOwnSchema: "create table lab_bridge.extra (x int)",
      createInPublic: "create table public.extra (x int)",
    };
    const outcomes: Record<string, string> = {};
    for (const [name, statement] of Object.entries(attempts)) outcomes[name] = await outcomeAsBridge(db().url, statement);
    expect(outcomes).toEqual(Object.fromEntries(Object.keys(attempts).map((name) => [name, PERMISSION_DENIED])));
  });

  it("keeps the same grants after a second migration", async () => {
    const grants = () => db().client.query(
      `select table_schema, table_name, privilege_type from information_schema.role_table_grants
       where grantee = 'lab_bridge' order by 1, 2, 3`).then((result) => result.rows);
    const before = await grants();
    expect(before).toEqual([
      { table_schema: "lab_bridge", table_name: "consumed_offsets", privilege_type: "INSERT" },
      { table_schema: "lab_bridge", table_name: "consumed_offsets", privilege_type: "SELECT" },
      { table_schema: "lab_bridge", table_name: "consumed_offsets", privilege_type: "UPDATE" },
      { table_schema: "public", table_name: "conversion_predictions_raw", privilege_type: "INSERT" },
    ]);
    await migrateReference(db().url);
    expect(await grants()).toEqual(before);
  });
});

describe.skipIf(!postgres.available)("the bridge on a database without the reference migration", () => {
  it("fails at once, naming what is missing and the migration that makes it", async () => {
    if (!postgres.available) return;
    await using bare = await createTestDatabase(postgres.adminUrl);
    const failure = await openStore(bare.url, "t").then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(BridgeSetupError);
    expect((failure as Error).message).toContain("table lab_bridge.consumed_offsets");
    expect((failure as Error).message).toContain("npm run migrate -- --target reference");
  });
});
