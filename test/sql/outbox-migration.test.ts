// The conversion outbox (postgres/20_loadgen_state.sql) has no "applied" flag, no foreign key and
// no index on due_at: a lead's converted_at says whether its conversion landed. A database
// migrated while the outbox still had them converges on the new shape when migrated again,
// and its pending conversions (flag unset, lead not converted) are still found at start-up.

import { afterAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { migrateConfig } from "../../config/migrate.ts";
import { runMigration } from "../../scripts/migrate/run.ts";
import { postgresSink } from "../../loadgen/sinks/postgres.ts";
import { LOADGEN_PASSWORD } from "../helpers/lab-database.ts";
import { createTestDatabase, withClient, type TestDatabase } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();
const migrate = (url: string) => runMigration(migrateConfig({ target: "postgres", url }, { ...readEnv(), LOADGEN_PG_PASSWORD: LOADGEN_PASSWORD }));

/** What the outbox looked like before: the flag, the key check, the partial index, the update grant. */
const EARLIER_OUTBOX = `
  alter table loadgen.scheduled_conversions add column applied_at timestamptz;
  alter table loadgen.scheduled_conversions add constraint scheduled_conversions_lead_id_fkey foreign key (lead_id) references public.leads (id);
  create index scheduled_conversions_pending_idx on loadgen.scheduled_conversions (due_at) where applied_at is null;
  grant update on loadgen.scheduled_conversions to lab_loadgen;`;

const outboxCatalog = (url: string) => withClient(url, async (c) => (await c.query<{ columns: string[]; constraints: string[]; indexes: string[]; may_update: boolean }>(`
  select
    (select array_agg(attname::text order by attnum) from pg_attribute
      where attrelid = 'loadgen.scheduled_conversions'::regclass and attnum > 0 and not attisdropped) as columns,
    (select coalesce(array_agg(conname::text order by conname), '{}') from pg_constraint
      where conrelid = 'loadgen.scheduled_conversions'::regclass) as constraints,
    (select array_agg(indexrelid::regclass::text order by 1) from pg_index
      where indrelid = 'loadgen.scheduled_conversions'::regclass) as indexes,
    has_table_privilege('lab_loadgen', 'loadgen.scheduled_conversions', 'update') as may_update`)).rows[0]!);

describe.skipIf(!postgres.available)("the conversion outbox's migration", () => {
  let db: TestDatabase | undefined;
  afterAll(async () => db?.drop());

  it("drops the flag, the foreign key, the index and the update grant of an earlier outbox, and keeps its pending rows", async () => {
    if (!postgres.available) return;
    db = await createTestDatabase(postgres.adminUrl);
    await migrate(db.url);
    const fresh = await outboxCatalog(db.url);
    expect(fresh).toEqual({
      columns: ["lead_id", "due_at", "conversion_amount"],
      constraints: ["scheduled_conversions_conversion_amount_check", "scheduled_conversions_pkey"],
      indexes: ["loadgen.scheduled_conversions_pkey"],
      may_update: false,
    });

    await withClient(db.url, (c) => c.query(EARLIER_OUTBOX));
    // Lead 1 converted (applied), lead 2 did not yet (pending), as the earlier generator left them.
    await withClient(db.url, (c) => c.query(`
      insert into public.leads (id, email, created_at, converted_at, conversion_amount, utm_source, utm_medium, utm_campaign, country_code, device_type)
      values (1, 'a@example.test', '2026-01-01 00:00:00+00', '2026-01-01 00:00:10+00', 500, 's', 'm', 'c', 'NL', 'mobile'),
             (2, 'b@example.test', '2026-01-01 00:00:01+00', null, null, 's', 'm', 'c', 'NL', 'mobile');
      insert into loadgen.scheduled_conversions (lead_id, due_at, conversion_amount, applied_at)
      values (1, '2026-01-01 00:00:10+00', 500, '2026-01-01 00:00:10+00'), (2, '2026-01-01 00:00:20+00', 700, null);`));

    await migrate(db.url);
    expect(await outboxCatalog(db.url)).toEqual(fresh);
    const url = new URL(db.url);
    url.username = "lab_loadgen";
    url.password = LOADGEN_PASSWORD;
    await using sink = await postgresSink(url.toString(), { timeoutMs: 5_000, timeoutSetting: "test", onRetry: () => {} });
    expect(await sink.pendingConversions()).toEqual([
      { type: "conversion", lead_id: 2, converted_at: "2026-01-01T00:00:20.000+00:00", conversion_amount: 700 },
    ]);
  });
});
