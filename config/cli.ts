// Parses a command line with commander, turning a bad flag into a ConfigError (exit code 2)
// like any other configuration mistake; --help prints to stderr and exits 0.

import { type Command, CommanderError } from "commander";
import { ConfigError } from "./errors.ts";

export function parseCommandLine<T>(program: Command, argv: readonly string[]): T {
  program
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: () => {} })
    .allowExcessArguments(false);
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) process.exit(0); // --help
    if (error instanceof CommanderError) throw new ConfigError("command line", argv.join(" "), error.message.replace(/^error: /, ""));
    throw error;
  }
  return program.opts<T & object>();
}
