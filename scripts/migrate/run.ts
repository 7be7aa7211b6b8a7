// Runs one migration target: what scripts/migrate.ts calls, and what tests call in-process.

import { fileURLToPath } from "node:url";
import type { MigrateConfig } from "../../config/migrate.ts";
import { TARGETS } from "./targets.ts";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface RunOptions {
  /** Where the migration folders live (default: this repository). */
  repoRoot?: string;
  /** Progress lines ("applied materialize/30_staging/10_stg_leads.sql (1 statement)"). */
  log?: (line: string) => void;
  /** Where --dry-run prints its SQL. */
  write?: (text: string) => void;
}

export async function runMigration(config: MigrateConfig, opts: RunOptions = {}): Promise<void> {
  await TARGETS[config.target].run({
    config,
    repoRoot: opts.repoRoot ?? REPO_ROOT,
    log: opts.log ?? (() => {}),
    write: opts.write ?? (() => {}),
  });
}
