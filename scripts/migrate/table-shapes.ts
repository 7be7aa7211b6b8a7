// Before the lab's Postgres schema is applied: a `leads` (or any other table the postgres/
// files create) that already exists with another shape would be skipped by `create table if
// not exists`, and the generator would fail later, far from the cause. So the expected shape
// is taken from the very statements about to run: they are replayed inside a transaction in
// scratch schemas (every `<schema>.` of a created table rewritten to `lab_shape_<schema>.`),
// both catalogs are read (sql/table-columns.sql), and the transaction is rolled back. Nothing
// in the database changes; a difference is a TableShapeError naming the table and columns.
//
// Compared: every declared column must exist with the same type and NOT NULL; an extra column
// is tolerated unless it is NOT NULL without a default (the generator's inserts would fail).

import { readFileSync } from "node:fs";
import type pg from "pg";
import type { HookContext, PlannedFile } from "./apply.ts";
import { TableShapeError, type TableDifference } from "./errors.ts";

const COLUMNS_SQL = readFileSync(new URL("./sql/table-columns.sql", import.meta.url), "utf8");
const CREATE_TABLE = /^\s*create\s+table\s+if\s+not\s+exists\s+([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b/i;
const SCRATCH_PREFIX = "lab_shape_";

interface Column {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
  not_null: boolean;
  fills_itself: boolean;
}

export interface DeclaredTable {
  file: string;
  schema: string;
  table: string;
  sql: string;
}

/** The `create table if not exists schema.table` statements of the files under `folder`. */
export function declaredTables(plan: readonly PlannedFile[], folder: string): DeclaredTable[] {
  return plan
    .filter((file) => file.path.startsWith(`${folder}/`))
    .flatMap((file) =>
      file.statements.flatMap((statement) => {
        const match = CREATE_TABLE.exec(statement.sql);
        return match ? [{ file: file.path, schema: match[1]!.toLowerCase(), table: match[2]!.toLowerCase(), sql: statement.sql }] : [];
      }),
    );
}

/** Throws a TableShapeError if a declared table exists with another shape; changes nothing. */
export async function checkExistingTables(client: pg.Client, declared: readonly DeclaredTable[], log: HookContext["log"]): Promise<void> {
  if (declared.length === 0) return;
  const schemas = [...new Set(declared.map((t) => t.schema))];
  const existing = columnsByTable(await readColumns(client, schemas));
  const present = declared.filter((t) => existing.has(key(t.schema, t.table)));
  if (present.length === 0) return;
  const expected = await expectedColumns(client, declared, schemas);
  const differences = present.flatMap((t): TableDifference[] => {
    const columns = compareColumns(expected.get(key(`${SCRATCH_PREFIX}${t.schema}`, t.table)) ?? [], existing.get(key(t.schema, t.table)) ?? []);
    return columns.length === 0 ? [] : [{ table: `${t.schema}.${t.table}`, file: t.file, columns }];
  });
  if (differences.length > 0) throw new TableShapeError(differences);
  log(`existing tables match their declared shape: ${present.map((t) => `${t.schema}.${t.table}`).join(", ")}`);
}

/** Replays the CREATE TABLE statements in scratch schemas inside a transaction that is rolled back. */
async function expectedColumns(client: pg.Client, declared: readonly DeclaredTable[], schemas: readonly string[]): Promise<Map<string, Column[]>> {
  const qualified = new RegExp(`\\b(${schemas.join("|")})\\.`, "gi");
  await client.query("begin");
  try {
    for (const schema of schemas) await client.query(`create schema ${SCRATCH_PREFIX}${schema}`);
    for (const table of declared) await client.query(table.sql.replace(qualified, (_m, schema: string) => `${SCRATCH_PREFIX}${schema.toLowerCase()}.`));
    return columnsByTable(await readColumns(client, schemas.map((s) => `${SCRATCH_PREFIX}${s}`)));
  } finally {
    await client.query("rollback");
  }
}

const readColumns = async (client: pg.Client, schemas: readonly string[]): Promise<Column[]> =>
  (await client.query<Column>(COLUMNS_SQL, [schemas])).rows;

const key = (schema: string, table: string) => `${schema}.${table}`;

function columnsByTable(columns: readonly Column[]): Map<string, Column[]> {
  const byTable = new Map<string, Column[]>();
  for (const column of columns) {
    const k = key(column.table_schema, column.table_name);
    byTable.set(k, [...(byTable.get(k) ?? []), column]);
  }
  return byTable;
}

const describeColumn = (c: Column) => `${c.data_type}${c.not_null ? " not null" : ""}`;

/** One line per differing column: "name: expected <type>, found <type>". */
export function compareColumns(expected: readonly Column[], found: readonly Column[]): string[] {
  const foundByName = new Map(found.map((c) => [c.column_name, c]));
  const expectedNames = new Set(expected.map((c) => c.column_name));
  const lines: string[] = [];
  for (const want of expected) {
    const have = foundByName.get(want.column_name);
    if (!have) lines.push(`${want.column_name}: expected ${describeColumn(want)}, found no such column`);
    else if (have.data_type !== want.data_type || have.not_null !== want.not_null) {
      lines.push(`${want.column_name}: expected ${describeColumn(want)}, found ${describeColumn(have)}`);
    }
  }
  for (const extra of found) {
    if (!expectedNames.has(extra.column_name) && extra.not_null && !extra.fills_itself) {
      lines.push(`${extra.column_name}: expected no such column, found ${describeColumn(extra)} without a default (inserts would fail)`);
    }
  }
  return lines;
}
