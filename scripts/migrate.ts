// npm run migrate -- --target <postgres|reference|materialize|kafka> [--url <postgres-url>] [--dry-run]
//
// Applies the lab's SQL migrations in order, idempotently: a second run changes nothing.
// Exit codes: 0 done; 1 a statement failed (the message names the file, the line, the
// statement and the server's error), or a table exists with another shape than the files
// declare (the message names the table and the columns; nothing was changed); 2 bad
// configuration (the message names the flag or environment variable). Settings and defaults: config/migrate.ts; files: materialize/README.md.

import { Command } from "commander";
import { parseCommandLine } from "../config/cli.ts";
import { readEnv } from "../config/env.ts";
import { exitOnConfigError } from "../config/errors.ts";
import { migrateConfig, MIGRATE_SETTINGS, TARGET_NAMES, type MigrateCliOptions } from "../config/migrate.ts";
import { MigrationError, TableShapeError } from "./migrate/errors.ts";
import { runMigration } from "./migrate/run.ts";
import { VariableError } from "./migrate/variables.ts";

function parseCli(argv: readonly string[]): MigrateCliOptions {
  const program = new Command("migrate")
    .description("Applies the lab's SQL migrations to Postgres, a reference Postgres, or Materialize.")
    .option("--target <name>", `${TARGET_NAMES.join(" | ")}; env MIGRATE_TARGET`)
    .option("--url <url>", MIGRATE_SETTINGS.url[4])
    .option("--dry-run", "print the SQL that would run (secrets masked) and connect to nothing");
  return parseCommandLine<MigrateCliOptions>(program, argv);
}

const config = exitOnConfigError(() => migrateConfig(parseCli(process.argv.slice(2)), readEnv()));
const log = (line: string) => process.stderr.write(`migrate: ${line}\n`);

try {
  await runMigration(config, { log, write: (text) => process.stdout.write(text) });
  if (!config.dryRun) log(`done: --target ${config.target}`);
} catch (error) {
  // A failed statement, an unknown variable, an unreachable server: the message says which.
  const known = error instanceof MigrationError || error instanceof VariableError || error instanceof TableShapeError;
  process.stderr.write(`migrate: ${known ? "" : "error: "}${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
}
