// `npm run evaluate`'s configuration: which scenario to run, how long and how fast, into which
// reference engine. Flags only (evaluate is a one-shot command, run by hand or by CI).

import { z } from "zod";
import { DURATION_ALLOWED, durationSeconds } from "../loadgen/scenarios/schema.ts";
import { decimalNumber, postgresUrl } from "./schemas.ts";
import { parseSettings, type CliValues, type Parsed } from "./settings.ts";

const duration = z.string().optional().transform((value, ctx) => {
  if (value === undefined) return undefined;
  const seconds = durationSeconds(value);
  if (seconds === undefined || seconds <= 0) {
    ctx.addIssue({ code: "custom", message: DURATION_ALLOWED });
    return z.NEVER;
  }
  return seconds;
});

export const EVALUATE_SETTINGS = {
  scenario: ["--scenario", "", "steady", z.string().min(1, "a scenario name or file"), "a built-in scenario (npm run loadgen -- --list-scenarios) or a YAML file of the same format"],
  seed: ["--seed", "", "42", z.string().min(1, "a non-empty string"), "the simulation's seed"],
  duration: ["--duration", "", "", duration, "simulated run length (\"90s\", \"8m\" or seconds); default: 30 minutes for a scenario without incidents, else 2 minutes after the last incident's end (its start, when open-ended)"],
  rate: ["--rate", "", "80", decimalNumber(0, 10_000, { exclusiveMin: true }), "mean arrivals per second"],
  url: ["--url", "", "", postgresUrl, "a Postgres database for the reference engine: empty, or one evaluate used before (it is reset)"],
  report: ["--report", "", "", z.string().optional(), "also write an HTML report with charts into this folder"],
} as const;

export type EvaluateConfig = Parsed<typeof EVALUATE_SETTINGS> & { json: boolean };

/** Throws ConfigError (exit 2) naming the flag. */
export function evaluateConfig(cli: CliValues<typeof EVALUATE_SETTINGS> & { json?: boolean }): EvaluateConfig {
  const { json, ...values } = cli;
  return { ...parseSettings(EVALUATE_SETTINGS, values, {}), json: json === true };
}
