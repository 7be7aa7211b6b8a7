// BEGIN and several COPY … FROM STDIN go to Postgres as one query (copy-sequence.ts): each COPY
// gets its own rows, in order; the transaction stays open for what follows; a failing COPY
// rejects with the server's error, the rows sent for the COPYs after it are dropped and the
// connection is usable; a COPY given no rows is refused before anything is sent.

import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCopySequence } from "../../loadgen/sinks/copy-sequence.ts";
import { createTestDatabase, withClient, type TestDatabase } from "../helpers/postgres.ts";
import { usePostgres } from "../helpers/services.ts";

const postgres = await usePostgres();

describe.skipIf(!postgres.available)("a sequence of COPYs sent as one query", () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    if (!postgres.available) return;
    db = await createTestDatabase(postgres.adminUrl);
    await withClient(db.url, (c) => c.query(`
      create table letters (id integer primary key, letter text not null);
      create table numbers (id integer primary key, number integer not null)`));
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.[Symbol.asyncDispose]();
  });
  beforeEach(async () => {
    await client.query("rollback").catch(() => {});
    await client.query("truncate letters, numbers");
  });

  const rowsSeenByAnother = () =>
    withClient(db.url, async (c) => (await c.query<{ letters: number; numbers: number }>(
      "select (select count(*)::int from letters) as letters, (select count(*)::int from numbers) as numbers")).rows[0]!);

  it("copies each table's rows into that table, inside the transaction it began", async () => {
    await runCopySequence(client, [
      { statement: "begin" },
      { statement: "copy letters (id, letter) from stdin", rows: Buffer.from("1\ta\n2\tb\\tc\n") },
      { statement: "copy numbers (id, number) from stdin", rows: Buffer.from("1\t10\n2\t20\n3\t30\n") },
    ]);
    const inside = await client.query("select id, letter from letters order by id");
    expect(inside.rows).toEqual([{ id: 1, letter: "a" }, { id: 2, letter: "b\tc" }]);
    expect((await client.query("select sum(number)::int as total from numbers")).rows[0].total).toBe(60);
    expect(await rowsSeenByAnother()).toEqual({ letters: 0, numbers: 0 });
    await client.query("commit");
    expect(await rowsSeenByAnother()).toEqual({ letters: 2, numbers: 3 });
  });

  it("rejects with the server's error when a later COPY fails, and the connection takes the next query", async () => {
    const failed = runCopySequence(client, [
      { statement: "begin" },
      { statement: "copy letters (id, letter) from stdin", rows: Buffer.from("1\ta\n") },
      { statement: "copy numbers (id, number) from stdin", rows: Buffer.from("1\tnot a number\n") },
    ]);
    await expect(failed).rejects.toMatchObject({ code: "22P02" }); // invalid_text_representation
    await client.query("rollback");
    expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    expect(await rowsSeenByAnother()).toEqual({ letters: 0, numbers: 0 });
  });

  it("rejects with a unique violation when a row is there already", async () => {
    await withClient(db.url, (c) => c.query("insert into numbers values (2, 0)"));
    const failed = runCopySequence(client, [
      { statement: "begin" },
      { statement: "copy numbers (id, number) from stdin", rows: Buffer.from("1\t10\n2\t20\n") },
    ]);
    await expect(failed).rejects.toMatchObject({ code: "23505" });
    await client.query("rollback");
    expect(await rowsSeenByAnother()).toEqual({ letters: 0, numbers: 1 });
  });

  it("refuses, before sending anything, a COPY given no rows and rows given to a statement that is not a COPY", async () => {
    await expect(runCopySequence(client, [
      { statement: "begin" },
      { statement: "copy letters (id, letter) from stdin", rows: Buffer.from("1\ta\n") },
      { statement: "copy numbers (id, number) from stdin" },
    ])).rejects.toThrow(/step 2 \(copy numbers .*\) is a COPY FROM STDIN and was given no rows/);
    await expect(runCopySequence(client, [{ statement: "begin", rows: Buffer.from("1\ta\n") }]))
      .rejects.toThrow(/step 0 \(begin\) was given rows but is not a single COPY/);
    expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    expect(await rowsSeenByAnother()).toEqual({ letters: 0, numbers: 0 });
  });

  it("refuses a step that holds a COPY among other statements, since that COPY would take another's rows", async () => {
    await expect(runCopySequence(client, [
      { statement: "begin; copy numbers (id, number) from stdin" },
      { statement: "copy letters (id, letter) from stdin", rows: Buffer.from("1\t2\n") },
    ])).rejects.toThrow(/step 0 .* holds a COPY FROM STDIN among other statements: make the COPY a step of its own/);
    await expect(runCopySequence(client, [{ statement: "copy letters to stdout -- from stdin", rows: Buffer.from("1\ta\n") }]))
      .rejects.toThrow(/was given rows but is not a single COPY … FROM STDIN/);
    expect(await rowsSeenByAnother()).toEqual({ letters: 0, numbers: 0 });
  });

  it("takes COPY options after STDIN and statements that end in a comment", async () => {
    await runCopySequence(client, [
      { statement: "begin -- the batch's transaction" },
      { statement: "COPY letters (id, letter) FROM STDIN WITH (FORMAT csv)", rows: Buffer.from("1,a\n2,\"b,c\"\n") },
      { statement: "commit -- done" },
    ]);
    expect((await client.query("select letter from letters order by id")).rows).toEqual([{ letter: "a" }, { letter: "b,c" }]);
  });

  it("drops the rows sent for the COPYs after one that failed, and the connection takes the next query", async () => {
    await withClient(db.url, (c) => c.query("insert into letters values (1, 'x')"));
    const failed = runCopySequence(client, [
      { statement: "begin" },
      { statement: "copy letters (id, letter) from stdin", rows: Buffer.from("1\ta\n") },
      { statement: "copy numbers (id, number) from stdin", rows: Buffer.from("1\t10\n2\t20\n") },
      { statement: "copy numbers (id, number) from stdin", rows: Buffer.from(Array.from({ length: 50_000 }, (_, i) => `${i + 3}\t${i}\n`).join("")) },
    ]);
    await expect(failed).rejects.toMatchObject({ code: "23505" });
    await client.query("rollback");
    await client.query("insert into numbers values (100, 1)");
    expect((await client.query("select count(*)::int as n from numbers")).rows[0].n).toBe(1);
    expect(await rowsSeenByAnother()).toEqual({ letters: 1, numbers: 1 });
  });

  it("copies nothing from empty rows and goes on with the next statement", async () => {
    await runCopySequence(client, [
      { statement: "copy letters (id, letter) from stdin", rows: Buffer.alloc(0) },
      { statement: "copy numbers (id, number) from stdin", rows: Buffer.from("7\t70\n") },
    ]);
    expect(await rowsSeenByAnother()).toEqual({ letters: 0, numbers: 1 });
  });
});
