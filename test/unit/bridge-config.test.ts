import { describe, expect, it } from "vitest";
import { bridgeConfig } from "../../config/bridge.ts";
import { messageText } from "../../bridge/store.ts";
import { configError } from "../helpers/config-error.ts";

describe("the bridge's configuration", () => {
  it("runs with no flags and no env, as lab_bridge on the lab's own Postgres port and broker", () => {
    const config = bridgeConfig({}, {});
    expect(config.postgresUrl).toBe("postgres://lab_bridge:bridge@127.0.0.1:55432/lab");
    expect(config.kafkaBrokers).toEqual(["127.0.0.1:19092"]);
    expect(config.kafkaTopic).toBe("conversion_predictions");
    expect(config.groupId).toBe("lab-bridge");
  });

  it("lets a flag win over the environment, and the environment over the default", () => {
    expect(bridgeConfig({ kafkaTopic: "a" }, { KAFKA_TOPIC: "b" }).kafkaTopic).toBe("a");
    expect(bridgeConfig({}, { KAFKA_TOPIC: "b" }).kafkaTopic).toBe("b");
  });

  it("names the flag, the value and what is allowed when a flag is bad", () => {
    const error = configError(() => bridgeConfig({ groupId: "no spaces please" }, {}));
    expect(error.field).toBe("--group-id");
    expect(error.value).toBe("no spaces please");
    expect(error.allowed).toContain("letters, digits");
  });

  it("names the variable, and hides the password, when a URL from the environment is bad", () => {
    const error = configError(() => bridgeConfig({}, { BRIDGE_PG_URL: "mysql://u:secret@h/db" }));
    expect(error.field).toBe("BRIDGE_PG_URL");
    expect(error.message).not.toContain("secret");
    expect(error.allowed).toBe("a postgres:// URL");
  });
});

describe("a message value as the raw table keeps it", () => {
  it("is its UTF-8 text, NULL without a value, and a NUL byte (which Postgres text refuses) becomes U+FFFD", () => {
    expect(messageText(Buffer.from('{"lead_id":1}'))).toBe('{"lead_id":1}');
    expect(messageText(null)).toBeNull();
    expect(messageText(Buffer.from([0x61, 0x00, 0x62]))).toBe("a\uFFFDb");
  });
});
