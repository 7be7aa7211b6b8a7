import { describe, expect, it } from "vitest";
import { configError } from "../helpers/config-error.ts";
import { loadgenConfig } from "../../config/loadgen.ts";

const fromCli = (cli: Record<string, string>, env: Record<string, string> = {}) => loadgenConfig(cli, env);


describe("the load generator's configuration", () => {
  it("runs with no flags and no env at all, in live mode at the seed's 80 leads/s", () => {
    const config = fromCli({});
    expect(config.mode).toBe("live");
    expect(config.rate).toBe(80);
    expect(config.sink).toEqual(["postgres", "kafka"]);
    expect(config.leads).toBeUndefined();
    expect(config.kafkaBrokers).toEqual(["127.0.0.1:19092"]);
  });

  it("defaults fast mode to 10000 leads and parses the simulated start", () => {
    const config = fromCli({ mode: "fast" });
    expect(config.leads).toBe(10_000);
    expect(config.start).toBe(Date.UTC(2026, 0, 1));
  });

  it("lets a flag win over the environment", () => {
    expect(fromCli({ rate: "5" }, { LOADGEN_RATE: "7" }).rate).toBe(5);
    expect(fromCli({}, { LOADGEN_RATE: "7" }).rate).toBe(7);
  });

  it("names the flag, the value and what is allowed when a flag is bad", () => {
    const error = configError(() => fromCli({ mode: "turbo" }));
    expect(error.field).toBe("--mode");
    expect(error.value).toBe("turbo");
    expect(error.message).toContain("live or fast");
  });

  it("names the environment variable when the bad value came from env", () => {
    const error = configError(() => fromCli({}, { LOADGEN_CONTROL_SHARE: "1.5" }));
    expect(error.field).toBe("LOADGEN_CONTROL_SHARE");
    expect(error.message).toContain("from 0 to 1");
  });

  it("refuses stdout mixed with another sink, and unknown sinks", () => {
    expect(configError(() => fromCli({ sink: "stdout,kafka" })).field).toBe("--sink");
    expect(configError(() => fromCli({ sink: "files" })).message).toContain("postgres, kafka, stdout");
  });

  it("refuses knobs the aispy profile fixes", () => {
    const error = configError(() => fromCli({ profile: "aispy", threshold: "0.3" }));
    expect(error.field).toBe("--threshold");
    expect(error.message).toContain("--profile default");
  });

  it("refuses malformed brokers, URLs, instants and counts", () => {
    expect(configError(() => fromCli({}, { KAFKA_BROKERS: "redpanda" })).field).toBe("KAFKA_BROKERS");
    expect(configError(() => fromCli({ postgresUrl: "mysql://x" })).field).toBe("--postgres-url");
    expect(configError(() => fromCli({ mode: "fast", start: "yesterday" })).field).toBe("--start");
    expect(configError(() => fromCli({ leads: "-3" })).field).toBe("--leads");
    expect(configError(() => fromCli({ leads: "2.5" })).field).toBe("--leads");
  });

  it("treats a variable set to an empty string (compose's ${NAME:-}) as not given", () => {
    const config = fromCli({}, { LOADGEN_PROFILE: "", LOADGEN_SEED: "", LOADGEN_RATE: " ", LOADGEN_CONTROL_SHARE: "" });
    expect(config).toMatchObject({ profile: "default", seed: "42", rate: 80, controlShare: undefined });
  });

  it("returns a frozen object", () => {
    expect(Object.isFrozen(fromCli({}))).toBe(true);
  });
});
