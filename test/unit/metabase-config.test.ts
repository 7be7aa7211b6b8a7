// The provisioner's configuration (config/metabase.ts): defaults, and errors that name the
// variable, the value and what is allowed (without echoing passwords).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configError } from "../helpers/config-error.ts";
import { DEFAULT_ADMIN_PASSWORD, METABASE_SETTINGS, metabaseConfig } from "../../config/metabase.ts";

const configErrorOf = (env: Record<string, string>) => configError(() => metabaseConfig(env));

describe("Metabase provisioner configuration", () => {
  it("defaults to a local Metabase and the compose service materialize:6875", () => {
    expect(metabaseConfig({})).toEqual({
      url: "http://127.0.0.1:3000",
      siteUrl: "http://127.0.0.1:3000",
      adminEmail: "admin@lab.local",
      adminPassword: "lab-metabase-2026", // the documented local default (README, docs, .env.example)
      siteName: "ML monitoring lab",
      mzHost: "materialize",
      mzPort: 6875,
      mzDatabase: "materialize",
      mzUser: "materialize",
      mzPassword: "",
      mzSsl: false,
      timeoutSeconds: 300,
    });
  });

  it("has a default admin password that meets Metabase's rule of 6 characters with a digit", () => {
    expect(DEFAULT_ADMIN_PASSWORD.length).toBeGreaterThanOrEqual(6);
    expect(DEFAULT_ADMIN_PASSWORD).toMatch(/\d/);
  });

  it("reads every variable it documents, as env.NAME", () => {
    const source = readFileSync(new URL("../../config/metabase.ts", import.meta.url), "utf8");
    for (const [name] of Object.values(METABASE_SETTINGS)) expect(source).toContain(`env.${name}`);
  });

  it("takes the environment's values and drops a trailing slash from the URL", () => {
    const config = metabaseConfig({ METABASE_URL: "http://metabase:3000/", METABASE_MZ_SSL: "true", METABASE_MZ_PORT: "16875", METABASE_MZ_PASSWORD: "s3cret" });
    expect(config).toMatchObject({ url: "http://metabase:3000", siteUrl: "http://metabase:3000", mzSsl: true, mzPort: 16875, mzPassword: "s3cret" });
  });

  it("prints URLs for the browser's address when METABASE_SITE_URL differs from the provisioner's", () => {
    const config = metabaseConfig({ METABASE_URL: "http://metabase:3000", METABASE_SITE_URL: "http://127.0.0.1:3000/" });
    expect(config).toMatchObject({ url: "http://metabase:3000", siteUrl: "http://127.0.0.1:3000" });
  });

  it.each([
    [{ METABASE_MZ_PORT: "70000" }, "METABASE_MZ_PORT", "70000", "1 to 65535"],
    [{ METABASE_MZ_PORT: "0" }, "METABASE_MZ_PORT", "0", "a port number from 1 to 65535"],
    [{ METABASE_MZ_PORT: "sixty" }, "METABASE_MZ_PORT", "sixty", "expected a number"],
    [{ METABASE_MZ_PORT: "0x10" }, "METABASE_MZ_PORT", "0x10", "plain decimal digits"],
    [{ METABASE_TIMEOUT_SECONDS: "1e3" }, "METABASE_TIMEOUT_SECONDS", "1e3", "plain decimal digits"],
    [{ METABASE_TIMEOUT_SECONDS: "1.5" }, "METABASE_TIMEOUT_SECONDS", "1.5", "plain decimal digits"],
    [{ METABASE_MZ_SSL: "yes" }, "METABASE_MZ_SSL", "yes", "true or false"],
    [{ METABASE_URL: "localhost:3000" }, "METABASE_URL", "localhost:3000", "http://"],
    [{ METABASE_TIMEOUT_SECONDS: "0" }, "METABASE_TIMEOUT_SECONDS", "0", "whole number"],
    [{ METABASE_ADMIN_EMAIL: "admin" }, "METABASE_ADMIN_EMAIL", "admin", "email"],
  ])("rejects %j naming the variable, the value and what is allowed", (env, name, value, allowed) => {
    const error = configErrorOf(env);
    expect(error.field).toBe(name);
    expect(error.message).toContain(JSON.stringify(value));
    expect(error.allowed).toContain(allowed);
  });

  it("rejects a password without a digit without printing the password", () => {
    const error = configErrorOf({ METABASE_ADMIN_PASSWORD: "onlyletters" });
    expect(error.field).toBe("METABASE_ADMIN_PASSWORD");
    expect(error.message).not.toContain("onlyletters");
    expect(error.allowed).toContain("digit");
  });
});
