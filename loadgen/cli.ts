// Command-line flags of the load generator, generated from the settings table in
// config/loadgen.ts so that flags, env vars and the README's table cannot drift apart.

import { Command, CommanderError } from "commander";
import { LOADGEN_SETTINGS } from "../config/loadgen.ts";
import { ConfigError } from "../config/errors.ts";

export type CliValues = Partial<Record<keyof typeof LOADGEN_SETTINGS, string>>;

export function parseCli(argv: readonly string[]): CliValues {
  const program = new Command("loadgen")
    .description("Seeded simulator of leads, model predictions, coupons and conversions.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: () => {} })
    .allowExcessArguments(false);
  for (const [key, [flag, envName, fallback, , help]] of Object.entries(LOADGEN_SETTINGS)) {
    const defaultText = fallback === "" ? "" : ` (default: ${fallback})`;
    program.option(`${flag} <value>`, `${help}; env ${envName}${defaultText}`);
    void key;
  }
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) process.exit(0); // --help
    if (error instanceof CommanderError) throw new ConfigError("command line", argv.join(" "), error.message.replace(/^error: /, ""));
    throw error;
  }
  return program.opts<CliValues>();
}
