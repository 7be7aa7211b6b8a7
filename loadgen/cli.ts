// Command-line flags of the load generator, generated from the settings table in
// config/loadgen.ts so that flags, env vars and the README's table cannot drift apart.

import { Command } from "commander";
import { parseCommandLine } from "../config/cli.ts";
import { LOADGEN_SETTINGS } from "../config/loadgen.ts";

export type CliValues = Partial<Record<keyof typeof LOADGEN_SETTINGS, string>> & { listScenarios?: boolean };

export function parseCli(argv: readonly string[]): CliValues {
  const program = new Command("loadgen").description("Seeded simulator of leads, model predictions, coupons and conversions.");
  for (const [flag, envName, fallback, , help] of Object.values(LOADGEN_SETTINGS)) {
    const defaultText = fallback === "" ? "" : ` (default: ${fallback})`;
    program.option(`${flag} <value>`, `${help}; env ${envName}${defaultText}`);
  }
  program.option("--list-scenarios", "print the built-in scenarios, one a line, and exit");
  return parseCommandLine<CliValues>(program, argv);
}
