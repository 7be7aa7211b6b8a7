// `npm run lab`'s configuration: what the Docker-free lab starts and with which scenario.
// Ports and the state folder are the service scripts' (scripts/services/lib.sh: LAB_STATE_DIR,
// LAB_PG_PORT, LAB_KAFKA_PORT, LAB_KAFKA_CONTROLLER_PORT); the lab reads where those put things
// from `scripts/services/env.sh`, so the two cannot disagree.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { LOADGEN_SETTINGS } from "./loadgen.ts";
import type { Env } from "./env.ts";
import { ConfigError } from "./errors.ts";
import { given } from "./schemas.ts";
import { parseSettings, type CliValues, type Parsed } from "./settings.ts";

const urlSafePassword = z.string().regex(/^[A-Za-z0-9._-]+$/, "letters, digits, . _ - (it goes into a URL)");

/** The scenario the lab runs when none is asked for, once the generator knows it. */
export const DEFAULT_SCENARIO = "tour";

export const LAB_SETTINGS = {
  scenario: ["--scenario", "", "", z.string().min(1).optional(), `the generator's scenario: a built-in name (npm run loadgen -- --list-scenarios) or a .yaml file (default: ${DEFAULT_SCENARIO})`],
  rate: ["--rate", "", "", z.coerce.number().positive("a number > 0").optional(), "mean leads per second (default: the generator's, 80)"],
  loadgenPgPassword: ["", "LOADGEN_PG_PASSWORD", "loadgen", urlSafePassword, "password of the Postgres role lab_loadgen (set by the migration)"],
  bridgePgPassword: ["", "BRIDGE_PG_PASSWORD", "bridge", urlSafePassword, "password of the Postgres role lab_bridge, as which the bridge logs in (set by the migration)"],
} as const;

export type LabConfig = Parsed<typeof LAB_SETTINGS> & {
  /** The generator's scenario, or undefined when it has none (or none was asked for). */
  loadgenScenario: string | undefined;
  /** The services' and the lab's state folder (LAB_STATE_DIR, default <repo>/.lab). */
  stateDir: string;
  /** Where the lab keeps its logs: <state dir>/logs. */
  logDir: string;
};

/** Throws ConfigError (exit 2). `repoRoot`: where `.lab` and the generator's scenarios live. */
export function labConfig(cli: CliValues<typeof LAB_SETTINGS>, env: Env, repoRoot: string): LabConfig {
  const parsed = parseSettings(LAB_SETTINGS, cli, { loadgenPgPassword: env.LOADGEN_PG_PASSWORD, bridgePgPassword: env.BRIDGE_PG_PASSWORD });
  const stateDir = given(env.LAB_STATE_DIR) ?? join(repoRoot, ".lab");
  const loadgenScenario = scenarioFor(parsed.scenario, LOADGEN_SETTINGS, builtInScenarios(repoRoot));
  return Object.freeze({ ...parsed, loadgenScenario, stateDir, logDir: join(stateDir, "logs") });
}

/** The generator's built-in scenarios: loadgen/scenarios/<name>.yaml (none while it has no such folder). */
export function builtInScenarios(repoRoot: string): string[] {
  const folder = join(repoRoot, "loadgen", "scenarios");
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).map((name) => name.replace(/\.ya?ml$/, "")).sort();
}

/**
 * The scenario to pass to the generator: none while the generator takes no --scenario; else the
 * one asked for (a built-in name or a .yaml file), or `tour` when that is built in.
 */
export function scenarioFor(asked: string | undefined, loadgenSettings: Record<string, unknown>, builtIn: readonly string[]): string | undefined {
  if (!("scenario" in loadgenSettings)) {
    if (asked !== undefined) throw new ConfigError("--scenario", asked, "nothing yet: this generator has no scenarios");
    return undefined;
  }
  if (asked === undefined) return builtIn.includes(DEFAULT_SCENARIO) ? DEFAULT_SCENARIO : undefined;
  if (builtIn.includes(asked) || /\.ya?ml$/.test(asked)) return asked;
  throw new ConfigError("--scenario", asked, `a built-in scenario (${builtIn.join(", ") || "none"}) or a .yaml file`);
}
