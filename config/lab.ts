// `npm run lab`'s configuration: what the Docker-free lab starts and with which scenario.
// Ports and the state folder are the service scripts' (scripts/services/lib.sh: LAB_STATE_DIR,
// LAB_PG_PORT, LAB_KAFKA_PORT, LAB_KAFKA_CONTROLLER_PORT); the lab reads where those put things
// from `scripts/services/env.sh`, so the two cannot disagree.

import { join } from "node:path";
import { z } from "zod";
import { LOADGEN_SETTINGS } from "./loadgen.ts";
import type { Env } from "./env.ts";
import { ConfigError } from "./errors.ts";
import { given } from "./schemas.ts";
import { parseSettings, type CliValues, type Parsed } from "./settings.ts";

/** The scenario the lab runs when none is asked for, once the generator knows it. */
export const DEFAULT_SCENARIO = "tour";

export const LAB_SETTINGS = {
  scenario: ["--scenario", "", "", z.string().min(1).optional(), `the generator's scenario (default: ${DEFAULT_SCENARIO} when the generator has scenarios)`],
  rate: ["--rate", "", "", z.coerce.number().positive("a number > 0").optional(), "mean leads per second (default: the generator's, 80)"],
  loadgenPgPassword: ["", "LOADGEN_PG_PASSWORD", "loadgen", z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, . _ - (it goes into a URL)"), "password of the Postgres role lab_loadgen (set by the migration)"],
} as const;

export type LabConfig = Parsed<typeof LAB_SETTINGS> & {
  /** The generator's scenario, or undefined when it has none (or none was asked for). */
  loadgenScenario: string | undefined;
  /** Where the lab keeps its logs: <state dir>/logs. */
  logDir: string;
};

/** Throws ConfigError (exit 2). `repoRoot`: where `.lab` lives by default. */
export function labConfig(cli: CliValues<typeof LAB_SETTINGS>, env: Env, repoRoot: string): LabConfig {
  const parsed = parseSettings(LAB_SETTINGS, cli, { loadgenPgPassword: env.LOADGEN_PG_PASSWORD });
  const stateDir = given(env.LAB_STATE_DIR) ?? join(repoRoot, ".lab");
  return Object.freeze({ ...parsed, loadgenScenario: scenarioFor(parsed.scenario), logDir: join(stateDir, "logs") });
}

/** The scenario to pass to the generator, if it takes one (its settings table says so). */
export function scenarioFor(asked: string | undefined, loadgenSettings: Record<string, readonly unknown[]> = LOADGEN_SETTINGS): string | undefined {
  const setting = loadgenSettings.scenario as [string, string, string, z.ZodType, string] | undefined;
  if (setting === undefined) {
    if (asked !== undefined) throw new ConfigError("--scenario", asked, "nothing yet: this generator has no scenarios");
    return undefined;
  }
  if (asked !== undefined) {
    const checked = setting[3].safeParse(asked);
    if (!checked.success) throw new ConfigError("--scenario", asked, checked.error.issues[0]?.message ?? "a scenario the generator knows");
    return asked;
  }
  return setting[3].safeParse(DEFAULT_SCENARIO).success ? DEFAULT_SCENARIO : undefined;
}
