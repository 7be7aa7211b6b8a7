// A configuration mistake: which field, what value was given, and what is allowed.
// Tools print `message` and exit with code 2 (see `exitOnConfigError`).

import type { z } from "zod";
import { shownValue } from "./redact.ts";

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    const given = value === undefined ? "is not set" : `= ${JSON.stringify(value)}`;
    super(`invalid configuration: ${field} ${given}; allowed: ${allowed}`);
    this.name = "ConfigError";
  }
}

export const CONFIG_ERROR_EXIT_CODE = 2;

/**
 * Turns the first zod issue into a ConfigError naming the flag/env var the user typed. The
 * value is shown without secrets: passwords hidden, URLs without their password.
 */
export function configErrorFromZod(
  error: z.ZodError,
  input: Record<string, unknown>,
  sourceOf: (key: string) => string,
): ConfigError {
  const issue = error.issues[0];
  const key = String(issue?.path[0] ?? "?");
  return new ConfigError(sourceOf(key), shownValue(key, input[key]), issue?.message ?? "see the README's configuration table");
}

/** Runs `build`; on a ConfigError prints it to stderr and exits 2. */
export function exitOnConfigError<T>(build: () => T, write = (s: string) => process.stderr.write(s)): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ConfigError) {
      write(`${error.message}\n`);
      process.exit(CONFIG_ERROR_EXIT_CODE);
    }
    throw error;
  }
}
