// The Metabase provisioner's configuration (`npm run provision`): environment variables only,
// each with its default and what it allows. Validated once at start-up; a bad value is a
// ConfigError (exit code 2) naming the variable, the value and what is allowed.
//
// The METABASE_MZ_* settings describe Materialize as Metabase's server sees it (inside compose the
// host is the service name `materialize`, not 127.0.0.1).

import { z } from "zod";
import { ConfigError } from "./errors.ts";
import { shownValue } from "./redact.ts";
import { portNumber, wholeNumber } from "./schemas.ts";
import type { Env } from "./env.ts";

/** The documented local default. Metabase wants ≥ 6 characters with a digit, and not a common password. */
export const DEFAULT_ADMIN_PASSWORD = "lab-metabase-2026";


const isHttpUrl = (s: string) => /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(s);
const httpUrl = z
  .string()
  .refine(isHttpUrl, "an http:// or https:// URL, e.g. http://127.0.0.1:3000")
  .transform((s) => s.replace(/\/+$/, ""));
const optionalHttpUrl = z
  .string()
  .refine((s) => s === "" || isHttpUrl(s), "empty (= METABASE_URL) or an http:// or https:// URL, e.g. http://127.0.0.1:3000")
  .transform((s) => (s === "" ? undefined : s.replace(/\/+$/, "")));

const boolText = z.enum(["true", "false"], { message: "true or false" }).transform((s) => s === "true");

const adminPassword = z
  .string()
  .min(6, "at least 6 characters, with at least one digit (Metabase's password rule)")
  .refine((s) => /\d/.test(s), "at least 6 characters, with at least one digit (Metabase's password rule)");

/** Every setting: [env var, default (as text), schema, help]. */
export const METABASE_SETTINGS = {
  url: ["METABASE_URL", "http://127.0.0.1:3000", httpUrl, "Metabase's address as seen from where the provisioner runs"],
  siteUrl: ["METABASE_SITE_URL", "", optionalHttpUrl, "Metabase's address in a browser, for the printed URLs (empty: METABASE_URL; in compose: http://127.0.0.1:3000)"],
  adminEmail: ["METABASE_ADMIN_EMAIL", "admin@lab.local", z.email("an email address"), "the admin account created at first setup, then used to log in"],
  adminPassword: ["METABASE_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD, adminPassword, "that account's password (local default; set your own anywhere else)"],
  siteName: ["METABASE_SITE_NAME", "ML monitoring lab", z.string().min(1, "a non-empty name"), "site name set at first setup"],
  mzHost: ["METABASE_MZ_HOST", "materialize", z.string().regex(/^[A-Za-z0-9.-]+$/, "a host name or IP address"), "Materialize's host as Metabase's server reaches it"],
  mzPort: ["METABASE_MZ_PORT", "6875", portNumber, "Materialize's SQL port"],
  mzDatabase: ["METABASE_MZ_DATABASE", "materialize", z.string().min(1, "a non-empty database name"), "the Materialize database that holds classifier_metrics"],
  mzUser: ["METABASE_MZ_USER", "materialize", z.string().min(1, "a non-empty user name"), "the Materialize user Metabase connects as"],
  mzPassword: ["METABASE_MZ_PASSWORD", "", z.string(), "its password (the emulator has none)"],
  mzSsl: ["METABASE_MZ_SSL", "false", boolText, "connect to Materialize with TLS (true for Materialize Cloud)"],
  timeoutSeconds: ["METABASE_TIMEOUT_SECONDS", "300", wholeNumber(1, 3_600), "how long to wait for Metabase to be healthy and for Materialize to accept Metabase's connection"],
} as const;

type Settings = typeof METABASE_SETTINGS;
type Key = keyof Settings;
export type MetabaseConfig = Readonly<{ [K in Key]: z.output<Settings[K][2]> }> & { readonly siteUrl: string };

/** Env values, with their variable names spelled out so a test can list them. */
function fromEnv(env: Env): Record<Key, string | undefined> {
  return {
    url: env.METABASE_URL, siteUrl: env.METABASE_SITE_URL, adminEmail: env.METABASE_ADMIN_EMAIL, adminPassword: env.METABASE_ADMIN_PASSWORD,
    siteName: env.METABASE_SITE_NAME, mzHost: env.METABASE_MZ_HOST, mzPort: env.METABASE_MZ_PORT,
    mzDatabase: env.METABASE_MZ_DATABASE, mzUser: env.METABASE_MZ_USER, mzPassword: env.METABASE_MZ_PASSWORD,
    mzSsl: env.METABASE_MZ_SSL, timeoutSeconds: env.METABASE_TIMEOUT_SECONDS,
  };
}

/** Builds the config from the environment (an unset or empty variable takes its default). Throws ConfigError. */
export function metabaseConfig(env: Env): MetabaseConfig {
  const envValues = fromEnv(env);
  const input: Record<string, string> = {};
  for (const key of Object.keys(METABASE_SETTINGS) as Key[]) {
    const text = envValues[key];
    // METABASE_MZ_PASSWORD may legitimately be empty; everything else falls back to its default.
    input[key] = text === undefined || (text === "" && key !== "mzPassword") ? METABASE_SETTINGS[key][1] : text;
  }
  const shape = Object.fromEntries(Object.entries(METABASE_SETTINGS).map(([k, s]) => [k, s[2]]));
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? "url") as Key;
    throw new ConfigError(METABASE_SETTINGS[key][0], shownValue(key, input[key]), issue?.message ?? "see config/metabase.ts");
  }
  const config = parsed.data as Omit<MetabaseConfig, "siteUrl"> & { siteUrl: string | undefined };
  return Object.freeze({ ...config, siteUrl: config.siteUrl ?? config.url });
}
