import { describe, expect, it, vi } from "vitest";
import { loadTestServicesConfig } from "../../config/test-services.ts";
import { unavailable } from "../helpers/services.ts";

describe("the test service configuration", () => {
  it("treats unset and blank variables as not given", () => {
    const config = loadTestServicesConfig({ LAB_PG_URL: "  ", LAB_REQUIRE: "" });
    expect(config).toEqual({
      pgUrl: undefined,
      kafkaBrokers: undefined,
      mzUrl: undefined,
      metabaseUrl: undefined,
      required: new Set(),
    });
  });

  it("reads the URLs as given and splits the broker list", () => {
    const config = loadTestServicesConfig({
      LAB_PG_URL: "postgres://postgres@127.0.0.1:55432/postgres",
      LAB_KAFKA_BROKERS: "127.0.0.1:19092, kafka-2:9092",
      LAB_MZ_URL: "postgres://materialize@127.0.0.1:6875/materialize",
      LAB_METABASE_URL: "http://127.0.0.1:3000",
    });
    expect(config.pgUrl).toBe("postgres://postgres@127.0.0.1:55432/postgres");
    expect(config.kafkaBrokers).toEqual(["127.0.0.1:19092", "kafka-2:9092"]);
    expect(config.mzUrl).toBe("postgres://materialize@127.0.0.1:6875/materialize");
    expect(config.metabaseUrl).toBe("http://127.0.0.1:3000");
  });

  it("reads LAB_REQUIRE as a set of service names, ignoring spaces and empty items", () => {
    const config = loadTestServicesConfig({ LAB_REQUIRE: " postgres, kafka,,kafka " });
    expect([...config.required].sort()).toEqual(["kafka", "postgres"]);
  });

  it("rejects an unknown LAB_REQUIRE name, naming the value and the allowed names", () => {
    expect(() => loadTestServicesConfig({ LAB_REQUIRE: "postgres,redis" })).toThrow(
      /LAB_REQUIRE: "postgres,redis" names unknown service\(s\) "redis"; allowed: postgres, kafka, materialize, metabase/,
    );
  });

  it("rejects a Postgres URL of another scheme and a broker without a port", () => {
    const attempt = () => loadTestServicesConfig({ LAB_PG_URL: "http://db:5432", LAB_KAFKA_BROKERS: "kafka" });
    expect(attempt).toThrow(/LAB_PG_URL: must be a URL like postgres:\/\//);
    expect(attempt).toThrow(/LAB_KAFKA_BROKERS.0: host:port/);
  });

  it("rejects a broker or Postgres URL whose port is outside 1..65535", () => {
    expect(() => loadTestServicesConfig({ LAB_KAFKA_BROKERS: "127.0.0.1:70000" })).toThrow(/LAB_KAFKA_BROKERS.0: .*from 1 to 65535/);
    expect(() => loadTestServicesConfig({ LAB_PG_URL: "postgres://postgres@127.0.0.1:70000/postgres" })).toThrow(/LAB_PG_URL/);
    expect(loadTestServicesConfig({ LAB_KAFKA_BROKERS: "127.0.0.1:65535" }).kafkaBrokers).toEqual(["127.0.0.1:65535"]);
  });
});

describe("an unavailable service", () => {
  it("is reported as a skip with its reason when it is not required", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(unavailable("kafka", "no broker", new Set(["postgres"]))).toEqual({ available: false, reason: "no broker" });
      expect(warn).toHaveBeenCalledWith("[skip] kafka unavailable: no broker");
    } finally {
      warn.mockRestore();
    }
  });

  it("is an error naming the service and the reason when LAB_REQUIRE names it", () => {
    expect(() => unavailable("postgres", "LAB_PG_URL is not set", new Set(["postgres", "kafka"]))).toThrow(
      "postgres is required (LAB_REQUIRE=postgres,kafka) but unavailable: LAB_PG_URL is not set",
    );
  });
});
