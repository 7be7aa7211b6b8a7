// A tool's settings as one table: [flag, env var, default (as typed), zod schema, help]. Flags
// win over env, env over defaults; a bad value is a ConfigError naming the flag or variable
// the user typed (exit code 2). Used by the tools of the Docker-free lab (config/bridge.ts,
// config/watch.ts, config/lab.ts); the older tools spell the same logic out themselves.

import { z } from "zod";
import type { Command } from "commander";
import { configErrorFromZod } from "./errors.ts";
import { given } from "./schemas.ts";

export type Setting = readonly [flag: string, envName: string, fallback: string, schema: z.ZodType, help: string];
export type SettingsTable = Readonly<Record<string, Setting>>;
export type Parsed<T extends SettingsTable> = { readonly [K in keyof T]: z.output<T[K][3]> };
export type CliValues<T extends SettingsTable> = Partial<Record<keyof T, string>>;

/** Validates CLI values and env values (both as text, keyed like the table). Throws ConfigError. */
export function parseSettings<T extends SettingsTable>(
  table: T,
  cli: CliValues<T>,
  envValues: CliValues<T>,
): Parsed<T> {
  const keys = Object.keys(table) as Array<keyof T & string>;
  const input: Record<string, string | undefined> = {};
  for (const key of keys) input[key] = given(cli[key]) ?? given(envValues[key]) ?? given(table[key]![2]);
  const sourceOf = (key: string): string => {
    const [flag, envName] = table[key]!;
    if (given(cli[key]) !== undefined || given(envValues[key]) === undefined) return flag;
    return envName;
  };
  const shape = Object.fromEntries(keys.map((key) => [key, table[key]![3]]));
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) throw configErrorFromZod(parsed.error, input, sourceOf);
  return Object.freeze(parsed.data) as Parsed<T>;
}

/** Adds one `--flag <value>` option per setting, its help naming the variable and the default. */
export function addOptions(program: Command, table: SettingsTable): Command {
  for (const [flag, envName, fallback, , help] of Object.values(table)) {
    if (flag === "") continue; // an environment variable only
    const defaultText = fallback === "" ? "" : ` (default: ${fallback})`;
    program.option(`${flag} <value>`, `${help}${envName ? `; env ${envName}` : ""}${defaultText}`);
  }
  return program;
}
