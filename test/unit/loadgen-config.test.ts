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

  it("refuses the kafka sink alone, from a flag or the environment, naming the fix", () => {
    const flag = configError(() => fromCli({ sink: "kafka" }));
    expect(flag.field).toBe("--sink");
    expect(flag.allowed).toContain("--sink postgres,kafka");
    expect(flag.allowed).toContain("--sink stdout");
    expect(configError(() => fromCli({}, { LOADGEN_SINK: " kafka " })).field).toBe("LOADGEN_SINK");
    expect(fromCli({ sink: "kafka,postgres" }).sink).toEqual(["kafka", "postgres"]);
    expect(fromCli({ sink: "postgres" }).sink).toEqual(["postgres"]);
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

  it.each(["0x10", "1e3", " 12", "12abc", "1.5", "+12"])("refuses %j for a whole-number setting, as a flag and as a variable", (text) => {
    const flag = configError(() => fromCli({ leads: text }));
    expect(flag.field).toBe("--leads");
    expect(flag.value).toBe(text);
    expect(flag.allowed).toMatch(/whole number/);
    expect(configError(() => fromCli({}, { LOADGEN_BATCH_SIZE: text })).field).toBe("LOADGEN_BATCH_SIZE");
    expect(configError(() => fromCli({}, { LOADGEN_CONNECT_TIMEOUT_SECONDS: text })).field).toBe("LOADGEN_CONNECT_TIMEOUT_SECONDS");
  });

  it("reads plain decimal digits as the number they spell", () => {
    expect(fromCli({ leads: "12", batchSize: "10000", connectTimeoutSeconds: "7" })).toMatchObject({ leads: 12, batchSize: 10_000, connectTimeoutSeconds: 7 });
    expect(fromCli({ rate: "0.5", controlShare: ".25" })).toMatchObject({ rate: 0.5, controlShare: 0.25 });
  });

  it.each([
    [{ rate: "fast" }, "--rate"],
    [{ leads: "many" }, "--leads"],
    [{ controlShare: "half" }, "--control-share"],
    [{ statsIntervalSeconds: "" + "soon" }, "--stats-interval-seconds"],
  ])("says 'expected a number' (never NaN) for the word in %j", (cli, field) => {
    const error = configError(() => fromCli(cli));
    expect(error.field).toBe(field);
    expect(error.allowed).toMatch(/^expected a number/);
    expect(error.message).not.toMatch(/NaN/);
  });

  it.each(["127.0.0.1:0", "127.0.0.1:65536", "kafka:9092,kafka-2:99999"])("refuses the broker list %j, whose port is outside 1..65535", (brokers) => {
    const error = configError(() => fromCli({}, { KAFKA_BROKERS: brokers }));
    expect(error.field).toBe("KAFKA_BROKERS");
    expect(error.allowed).toContain("from 1 to 65535");
  });

  it("refuses a Postgres URL whose port is outside 1..65535, and accepts the edges", () => {
    const error = configError(() => fromCli({ postgresUrl: "postgres://u:p@127.0.0.1:70000/lab" }));
    expect(error.field).toBe("--postgres-url");
    expect(error.allowed).toContain("from 1 to 65535");
    expect(configError(() => fromCli({ postgresUrl: "postgres://127.0.0.1:0/lab" })).field).toBe("--postgres-url");
    expect(fromCli({ postgresUrl: "postgres://u:p@127.0.0.1:65535/lab", kafkaBrokers: "k:1" }).kafkaBrokers).toEqual(["k:1"]);
    expect(fromCli({ postgresUrl: "postgres://u:p@[::1]:5432/lab" }).postgresUrl).toBe("postgres://u:p@[::1]:5432/lab");
  });

  it("treats a variable set to an empty string (compose's ${NAME:-}) as not given", () => {
    const config = fromCli({}, { LOADGEN_PROFILE: "", LOADGEN_SEED: "", LOADGEN_RATE: " ", LOADGEN_CONTROL_SHARE: "" });
    expect(config).toMatchObject({ profile: "default", seed: "42", rate: 80, controlShare: undefined });
  });

  it("returns a frozen object", () => {
    expect(Object.isFrozen(fromCli({}))).toBe(true);
  });
});
