// `npm run watch`'s configuration: which engine to watch and how often to redraw.

import { z } from "zod";
import type { Env } from "./env.ts";
import { postgresUrl } from "./schemas.ts";
import { parseSettings, type CliValues, type Parsed } from "./settings.ts";

export const WATCH_SETTINGS = {
  url: ["--url", "WATCH_URL", "postgres://postgres@127.0.0.1:55432/lab", postgresUrl, "the engine's SQL URL: the lab's reference database (npm run lab) or Materialize (postgres://materialize@127.0.0.1:6875/materialize)"],
  refreshSeconds: ["--refresh-seconds", "WATCH_REFRESH_SECONDS", "1", z.coerce.number().min(1, "a number from 1 to 2").max(2, "a number from 1 to 2"), "how often the classifier table is read and redrawn (each signal panel as often as its own read allows, at most this often)"],
  trendWindows: ["--trend-windows", "WATCH_TREND_WINDOWS", "30", z.coerce.number().int("a whole number").min(2, "a whole number from 2 to 300").max(300, "a whole number from 2 to 300"), "how many one-second windows the trend line shows"],
} as const;

export type WatchConfig = Parsed<typeof WATCH_SETTINGS>;

/** Env values, with their variable names spelled out so a test can list them. */
function fromEnv(env: Env): CliValues<typeof WATCH_SETTINGS> {
  return { url: env.WATCH_URL, refreshSeconds: env.WATCH_REFRESH_SECONDS, trendWindows: env.WATCH_TREND_WINDOWS };
}

/** Throws ConfigError (exit 2) naming the flag or variable. */
export function watchConfig(cli: CliValues<typeof WATCH_SETTINGS>, env: Env): WatchConfig {
  return parseSettings(WATCH_SETTINGS, cli, fromEnv(env));
}
