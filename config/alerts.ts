// `npm run alerts`' configuration: which engine to follow, how to print, and where to POST.

import { z } from "zod";
import type { Env } from "./env.ts";
import { postgresUrl, wholeNumber } from "./schemas.ts";
import { parseSettings, type CliValues, type Parsed } from "./settings.ts";

const httpUrl = z
  .string()
  .refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), "an http:// or https:// URL")
  .optional();

export const ALERTS_SETTINGS = {
  url: ["--url", "ALERTS_URL", "postgres://postgres@127.0.0.1:55432/lab", postgresUrl, "the engine's SQL URL: the lab's reference database (npm run lab) or Materialize (postgres://materialize@127.0.0.1:6875/materialize)"],
  format: ["--format", "ALERTS_FORMAT", "text", z.enum(["text", "json"], { message: "text or json" }), "one line per transition: text for people, json for programs (the webhook's JSON)"],
  pollSeconds: ["--poll-seconds", "ALERTS_POLL_SECONDS", "1", wholeNumber(1, 20), "how often the reference engine is polled, at most every 20 s: a window is read as firing for 20 s (Materialize pushes changes: no polling)"],
  webhook: ["--webhook", "ALERTS_WEBHOOK_URL", "", httpUrl, "POST each transition as JSON to this URL (optional)"],
  webhookRetrySeconds: ["--webhook-retry-seconds", "ALERTS_WEBHOOK_RETRY_SECONDS", "60", wholeNumber(1, 3600), "how long one transition is retried (with backoff) before it is dropped"],
} as const;

export type AlertsConfig = Parsed<typeof ALERTS_SETTINGS>;

/** Env values, with their variable names spelled out so a test can list them. */
function fromEnv(env: Env): CliValues<typeof ALERTS_SETTINGS> {
  return {
    url: env.ALERTS_URL, format: env.ALERTS_FORMAT, pollSeconds: env.ALERTS_POLL_SECONDS,
    webhook: env.ALERTS_WEBHOOK_URL, webhookRetrySeconds: env.ALERTS_WEBHOOK_RETRY_SECONDS,
  };
}

/** Throws ConfigError (exit 2) naming the flag or variable. */
export function alertsConfig(cli: CliValues<typeof ALERTS_SETTINGS>, env: Env): AlertsConfig {
  return parseSettings(ALERTS_SETTINGS, cli, fromEnv(env));
}
