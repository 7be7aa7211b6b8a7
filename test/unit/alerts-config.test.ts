import { describe, expect, it } from "vitest";
import { alertsConfig } from "../../config/alerts.ts";
import { configError } from "../helpers/config-error.ts";

describe("the alert follower's configuration", () => {
  it("runs with no flags and no env: the lab's reference database, text lines, no webhook", () => {
    const config = alertsConfig({}, {});
    expect(config.url).toBe("postgres://postgres@127.0.0.1:55432/lab");
    expect(config.format).toBe("text");
    expect(config.pollSeconds).toBe(1);
    expect(config.webhook).toBeUndefined();
    expect(config.webhookRetrySeconds).toBe(60);
  });

  it("lets a flag win over the environment, and the environment over the default", () => {
    expect(alertsConfig({ webhook: "http://127.0.0.1:1/a" }, { ALERTS_WEBHOOK_URL: "http://127.0.0.1:1/b" }).webhook).toBe("http://127.0.0.1:1/a");
    expect(alertsConfig({}, { ALERTS_FORMAT: "json" }).format).toBe("json");
  });

  it("names the flag and what is allowed when the webhook is not an http URL", () => {
    const error = configError(() => alertsConfig({ webhook: "ftp://example.test/x" }, {}));
    expect(error.field).toBe("--webhook");
    expect(error.allowed).toBe("an http:// or https:// URL");
  });

  it("names the variable when the environment's value is bad", () => {
    expect(configError(() => alertsConfig({}, { ALERTS_POLL_SECONDS: "0" })).field).toBe("ALERTS_POLL_SECONDS");
    expect(configError(() => alertsConfig({}, { ALERTS_FORMAT: "xml" })).allowed).toBe("text or json");
  });

  it("refuses a poll slower than 20 s, the time a firing window is read as firing (it could be missed)", () => {
    expect(alertsConfig({ pollSeconds: "20" }, {}).pollSeconds).toBe(20);
    expect(configError(() => alertsConfig({ pollSeconds: "21" }, {})).field).toBe("--poll-seconds");
  });
});
