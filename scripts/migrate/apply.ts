// Applies a SQL target: reads its files, splits them into statements, fills in the
// variables (all of them, before anything runs, so a typo fails early), then runs the
// statements one by one, outside any transaction (Materialize runs most DDL only that way).
//
// Every statement is idempotent (`if not exists`, `create or replace`, DO blocks), so a
// second run changes nothing. A statement that collides with a concurrent migration of
// another database on the same server (roles are cluster-wide) is retried a few times.

import { readFileSync } from "node:fs";
import pg from "pg";
import type { MigrateConfig } from "../../config/migrate.ts";
import { discoverSqlFiles } from "./discover.ts";
import { MigrationError } from "./errors.ts";
import { splitStatements, SqlSyntaxError } from "./split.ts";
import { renderStatement, type SqlVariables } from "./variables.ts";
import { setTimeout as sleep } from "node:timers/promises";

export interface HookContext {
  /** The connection the migration runs on. */
  client: pg.Client;
  config: MigrateConfig;
  log: (line: string) => void;
}

export type BeforeFileHook = (ctx: HookContext) => Promise<void>;

export interface SqlTargetSpec {
  /** Folders relative to the repository root, in the order they run. */
  folders: readonly string[];
  /** Tags whose `<name>.<tag>.sql` files run (see discover.ts). */
  tags(config: MigrateConfig): string[];
  /** A per-statement dialect rewrite (see dialect.ts). */
  rewrite?: (sql: string) => string;
  /** A check before the first statement runs (it may read the plan; it must change nothing). */
  beforeApply?: (ctx: HookContext & { plan: readonly PlannedFile[] }) => Promise<void>;
  /** Work to do just before a file runs, keyed by its repo-relative path. */
  beforeFile?: Readonly<Record<string, BeforeFileHook>>;
}

export interface PlannedStatement {
  line: number;
  sql: string;
  /** The same SQL with secrets shown as '***'. */
  printable: string;
}

export interface PlannedFile {
  path: string;
  statements: PlannedStatement[];
}

export interface ApplyOptions {
  repoRoot: string;
  variables: SqlVariables;
  log: (line: string) => void;
}

export function planSqlTarget(spec: SqlTargetSpec, config: MigrateConfig, opts: ApplyOptions): PlannedFile[] {
  const rewrite = spec.rewrite ?? ((sql: string) => sql);
  return discoverSqlFiles(opts.repoRoot, spec.folders, spec.tags(config)).map((file) => {
    let statements;
    try {
      statements = splitStatements(readFileSync(file.absolutePath, "utf8"));
    } catch (error) {
      if (error instanceof SqlSyntaxError) throw new MigrationError(file.path, error.line, "(the file)", error.message, undefined);
      throw error;
    }
    return {
      path: file.path,
      statements: statements.map((statement) => ({
        line: statement.line,
        sql: rewrite(renderStatement(statement, opts.variables, { file: file.path })),
        printable: rewrite(renderStatement(statement, opts.variables, { file: file.path, maskSecrets: true })),
      })),
    };
  });
}

/** `--dry-run`: the SQL that would run, file by file, secrets masked. */
export function printPlan(plan: readonly PlannedFile[], write: (text: string) => void): void {
  for (const file of plan) {
    write(`-- ${file.path}\n`);
    for (const statement of file.statements) write(`${statement.printable};\n\n`);
  }
}

export async function applySqlTarget(spec: SqlTargetSpec, config: MigrateConfig, opts: ApplyOptions): Promise<void> {
  const plan = planSqlTarget(spec, config, opts);
  const client = new pg.Client({ connectionString: config.url, application_name: "lab-migrate" });
  await client.connect();
  try {
    await spec.beforeApply?.({ client, config, log: opts.log, plan });
    for (const file of plan) {
      await spec.beforeFile?.[file.path]?.({ client, config, log: opts.log });
      for (const statement of file.statements) await runStatement(client, file.path, statement);
      opts.log(`applied ${file.path} (${file.statements.length} statement${file.statements.length === 1 ? "" : "s"})`);
    }
  } finally {
    await client.end();
  }
}

const RETRY_DELAYS_MS = [50, 200, 800];

async function runStatement(client: pg.Client, path: string, statement: PlannedStatement): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(statement.sql);
      return;
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay !== undefined && isConcurrencyCollision(error)) {
        await sleep(delay);
        continue;
      }
      throw toMigrationError(error, path, statement);
    }
  }
}

/** Errors that a concurrent migration of the same cluster-wide object (a role) can cause. */
function isConcurrencyCollision(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (
    code === "40001" || // serialization_failure
    code === "40P01" || // deadlock_detected
    code === "23505" || // unique_violation: two DO blocks creating the same role at once
    (code === "XX000" && /tuple concurrently (updated|deleted)/.test(message ?? ""))
  );
}

function toMigrationError(error: unknown, path: string, statement: PlannedStatement): MigrationError {
  const { code, message, position } = error as { code?: string; message?: string; position?: string };
  const firstLine = statement.printable.split("\n")[0] ?? "";
  const offset = Number(position);
  let detail = message ?? String(error);
  if (Number.isInteger(offset) && offset > 0) {
    const errorLine = statement.line + (statement.sql.slice(0, offset - 1).match(/\n/g)?.length ?? 0);
    detail += ` (at line ${errorLine})`;
  }
  return new MigrationError(path, statement.line, firstLine, detail, code);
}
