// Getting a working session: wait for /api/health, fetch the OpenAPI document, then either run
// the first-time setup (creating the admin) or log in.

import type { Logger } from "pino";
import type { MetabaseConfig } from "../config/metabase.ts";
import type { MetabaseClient } from "./client.ts";
import { MetabaseHttpError, MetabaseUnreachableError, ProvisionError, serverMessage } from "./errors.ts";
import { OpenApiChecker, type OpenApiDocument } from "./openapi-check.ts";
import { setTimeout as sleep } from "node:timers/promises";

export const OPENAPI_PATH = "/api/docs/openapi.json";

/** Polls GET /api/health until it answers 200 {"status":"ok"}; after `timeoutMs` throws a ProvisionError. */
export async function waitForHealthy(client: MetabaseClient, timeoutMs: number, pollMs: number, log: Logger): Promise<void> {
  const started = performance.now();
  const remainingMs = () => timeoutMs - (performance.now() - started);
  let last = "no answer yet";
  for (;;) {
    try {
      // Each try ends by the deadline, but gets at least 1 s: the last one runs at the deadline.
      const attemptTimeoutMs = Math.ceil(Math.min(10_000, Math.max(1_000, remainingMs())));
      const { status, body } = await client.request<{ status?: string }>("GET", "/api/health", { retry: false, attemptTimeoutMs });
      if (status === 200 && body?.status === "ok") return;
      last = `HTTP ${status} ${JSON.stringify(body)}`;
    } catch (error) {
      if (!(error instanceof MetabaseUnreachableError)) throw error;
      last = error.reason;
    }
    // Wait out the whole timeout: the last pause ends at the deadline, where one last try runs.
    if (remainingMs() <= 0) {
      const seconds = Math.round(timeoutMs / 1000);
      throw new ProvisionError(
        `Metabase at ${client.baseUrl} is not ready after ${seconds} s (METABASE_TIMEOUT_SECONDS=${seconds}); last answer: ${last}. ` +
          `A first boot takes 30-120 s: check that METABASE_URL is right and Metabase's logs (docker compose logs metabase), or raise METABASE_TIMEOUT_SECONDS.`,
      );
    }
    log.info({ url: client.baseUrl, last }, "waiting for Metabase to be healthy");
    await sleep(Math.max(0, Math.min(pollMs, remainingMs())));
  }
}

/**
 * Fetches the instance's OpenAPI document. Without it, bodies cannot be checked: that is an error
 * unless `allowMissing` (then a warning, and requests go unchecked).
 */
export async function loadOpenApiChecker(client: MetabaseClient, allowMissing: boolean, log: Logger): Promise<OpenApiChecker | undefined> {
  let problem: string;
  try {
    const { status, body } = await client.request<OpenApiDocument>("GET", OPENAPI_PATH, { attemptTimeoutMs: 120_000 });
    if (status === 200 && body && typeof body === "object" && typeof body.paths === "object") return new OpenApiChecker(body, log);
    problem = `HTTP ${status}: ${serverMessage(body).slice(0, 200)}`;
  } catch (error) {
    if (!(error instanceof MetabaseUnreachableError)) throw error;
    problem = error.reason;
  }
  const what = `cannot read Metabase's OpenAPI document at ${client.baseUrl}${OPENAPI_PATH} (${problem})`;
  if (!allowMissing) throw new ProvisionError(`${what}; request bodies cannot be checked against it. Run with --allow-missing-openapi to provision without the check.`);
  log.warn(what + "; request bodies are sent UNCHECKED (--allow-missing-openapi)");
  return undefined;
}

interface SessionProperties {
  "has-user-setup"?: boolean;
  "setup-token"?: string | null;
  version?: { tag?: string };
}

/** Sets `client.session`: first-time setup when Metabase has no user yet, else a login. */
export async function authenticate(client: MetabaseClient, config: MetabaseConfig, log: Logger): Promise<{ setUp: boolean }> {
  const props = await client.get<SessionProperties>("/api/session/properties");
  const version = props.version?.tag ?? "unknown";
  if (!/^v[01]\.6[45]\./.test(version)) log.warn({ version }, "this provisioner was checked against Metabase v0.64/v0.65; other versions may differ");
  else log.info({ version }, "Metabase version");
  if (props["has-user-setup"] !== true && props["setup-token"]) {
    const created = await setUp(client, config, props["setup-token"]);
    if (created) {
      log.info({ email: config.adminEmail }, "first-time setup done: admin created");
      return { setUp: true };
    }
  }
  await logIn(client, config);
  return { setUp: false };
}

async function setUp(client: MetabaseClient, config: MetabaseConfig, token: string): Promise<boolean> {
  const body = {
    token,
    user: { email: config.adminEmail, password: config.adminPassword, first_name: "Lab", last_name: "Admin" },
    prefs: { site_name: config.siteName, site_locale: "en" },
  };
  const response = await client.request<{ id?: string }>("POST", "/api/setup", { body });
  if (response.status === 403) return false; // set up meanwhile: log in instead
  if (response.status === 400) {
    throw new ProvisionError(
      `Metabase refused the admin account at first setup: ${serverMessage(response.body)}. ` +
        `METABASE_ADMIN_PASSWORD needs at least 6 characters with a digit and must not be a common password; ` +
        `METABASE_ADMIN_EMAIL must be an email address. Change them and run again.`,
    );
  }
  if (response.status < 200 || response.status > 299 || typeof response.body?.id !== "string") {
    throw new MetabaseHttpError("POST", "/api/setup", response.status, response.body);
  }
  client.session = response.body.id;
  return true;
}

async function logIn(client: MetabaseClient, config: MetabaseConfig): Promise<void> {
  const body = { username: config.adminEmail, password: config.adminPassword };
  const response = await client.request<{ id?: string }>("POST", "/api/session", { body });
  if (response.status === 400 || response.status === 401) {
    throw new ProvisionError(
      `Metabase at ${client.baseUrl} refused the login of ${config.adminEmail} (${serverMessage(response.body)}): ` +
        `METABASE_ADMIN_PASSWORD (or METABASE_ADMIN_EMAIL) is not what this Metabase was set up with. ` +
        `Set them to the admin account's credentials; for a throwaway lab instance you may instead delete Metabase's ` +
        `application-database volume so the next start runs the first-time setup with the current values.`,
    );
  }
  if (response.status < 200 || response.status > 299 || typeof response.body?.id !== "string") {
    throw new MetabaseHttpError("POST", "/api/session", response.status, response.body);
  }
  client.session = response.body.id;
}
