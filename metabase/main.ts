// `npm run provision` → node --import tsx metabase/main.ts [flags]
//
// Makes Metabase show the lab's dashboard (metabase/dashboard.yaml), idempotently. Settings come
// from the environment (config/metabase.ts); flags only choose what to do. Logs go to stderr; stdout
// gets the public URL and, as its LAST line, the dashboard URL.
//
// Exit codes: 0 done; 1 provisioning failed; 2 invalid configuration or definition;
// 3 provisioned, but some card's query failed.

import { pathToFileURL } from "node:url";
import { Command, Option } from "commander";
import { pino, type Logger } from "pino";
import { CONFIG_ERROR_EXIT_CODE, ConfigError } from "../config/errors.ts";
import { readEnv, type Env } from "../config/env.ts";
import { metabaseConfig } from "../config/metabase.ts";
import { DEFAULT_DEFINITION_PATH, DefinitionError, loadDashboardDefinition } from "./definition.ts";
import { provision } from "./provision.ts";

export const SMOKE_FAILED_EXIT_CODE = 3;

interface Io {
  out: (line: string) => void;
  log: Logger;
}

function program(): Command {
  return new Command("provision")
    .description("Provision the lab's Metabase dashboard through Metabase's API (idempotent).")
    .option("--definition <file>", "dashboard definition (YAML or JSON)", DEFAULT_DEFINITION_PATH)
    .option("--no-public-link", "do not create the public link (needs MB_ENABLE_PUBLIC_SHARING=true in Metabase)")
    .option("--no-smoke-check", "do not run every card once after provisioning")
    .option("--allow-missing-openapi", "if the instance's OpenAPI document cannot be read, warn and send bodies unchecked instead of failing")
    .addOption(new Option("--log-level <level>", "pino log level (logs go to stderr)").choices(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"))
    .exitOverride();
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], env: Env, io?: Partial<Io>): Promise<number> {
  const cli = program();
  try {
    cli.parse([...argv], { from: "user" });
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : CONFIG_ERROR_EXIT_CODE;
  }
  const flags = cli.opts<{ definition: string; publicLink: boolean; smokeCheck: boolean; allowMissingOpenapi?: boolean; logLevel: string }>();
  const log = io?.log ?? pino({ name: "provision", level: flags.logLevel }, pino.destination(2));
  const out = io?.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  let config, definition;
  try {
    config = metabaseConfig(env);
    definition = loadDashboardDefinition(flags.definition);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof DefinitionError)) throw error;
    log.fatal(error.message);
    return CONFIG_ERROR_EXIT_CODE;
  }
  try {
    const result = await provision({
      config, definition, log,
      publicLink: flags.publicLink, smokeCheck: flags.smokeCheck, allowMissingOpenApi: flags.allowMissingOpenapi === true,
    });
    log.info({ created: result.created, updated: result.updatedCards, dashboardChanged: result.dashboardChanged }, "provisioned");
    const failed = result.smoke.filter((s) => !s.ok);
    for (const f of failed) log.error({ card: f.card, id: f.id, error: f.error }, "this card's query fails in Metabase");
    if (result.publicUrl) out(`public dashboard (no login): ${result.publicUrl}`);
    out(result.dashboardUrl);
    return failed.length > 0 ? SMOKE_FAILED_EXIT_CODE : 0;
  } catch (error) {
    log.fatal({ error: (error as Error).name }, (error as Error).message);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), readEnv());
}
