// npm run migrate -- --target <postgres|reference|materialize> [--url <postgres-url>] [--dry-run]
//
// Applies the lab's SQL migrations in order, idempotently: a second run changes nothing.
// Exit codes: 0 done; 1 a statement failed (the message names the file, the line, the
// statement and the server's error); 2 bad configuration (the message names the flag or
// environment variable). Settings and defaults: config/migrate.ts; files: materialize/README.md.

import { Command, CommanderError } from "commander";
import { readEnv } from "../config/env.ts";
import { ConfigError, exitOnConfigError } from "../config/errors.ts";
import { migrateConfig, MIGRATE_SETTINGS, TARGET_NAMES, type MigrateCliOptions } from "../config/migrate.ts";
import { MigrationError } from "./migrate/errors.ts";
import { runMigration } from "./migrate/run.ts";
import { VariableError } from "./migrate/variables.ts";

function parseCli(argv: readonly string[]): MigrateCliOptions {
  const program = new Command("migrate")
    .description("Applies the lab's SQL migrations to Postgres, a reference Postgres, or Materialize.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: () => {} })
    .allowExcessArguments(false)
    .option("--target <name>", `${TARGET_NAMES.join(" | ")}; env MIGRATE_TARGET`)
    .option("--url <url>", MIGRATE_SETTINGS.url[4])
    .option("--dry-run", "print the SQL that would run (secrets masked) and connect to nothing");
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) process.exit(0); // --help
    if (error instanceof CommanderError) throw new ConfigError("command line", argv.join(" "), error.message.replace(/^error: /, ""));
    throw error;
  }
  return program.opts<MigrateCliOptions>();
}

const config = exitOnConfigError(() => migrateConfig(parseCli(process.argv.slice(2)), readEnv()));
const log = (line: string) => process.stderr.write(`migrate: ${line}\n`);

try {
  await runMigration(config, { log, write: (text) => process.stdout.write(text) });
  if (!config.dryRun) log(`done: --target ${config.target}`);
} catch (error) {
  // A failed statement, an unknown variable, an unreachable server: the message says which.
  const known = error instanceof MigrationError || error instanceof VariableError;
  process.stderr.write(`migrate: ${known ? "" : "error: "}${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
}
