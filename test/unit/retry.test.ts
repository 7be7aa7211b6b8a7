import { describe, expect, it } from "vitest";
import { GaveUpError, isTransient, retrying } from "../../loadgen/retry.ts";

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return { now: () => t, sleep: async (ms: number) => { sleeps.push(ms); t += ms; }, sleeps };
}

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe("retrying", () => {
  it("backs off exponentially until the attempt succeeds", async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retrying("reach it", { timeoutMs: 60_000, initialDelayMs: 100, ...clock }, async () => {
      calls += 1;
      if (calls < 4) throw refused();
      return "ok";
    });
    expect(result).toBe("ok");
    expect(clock.sleeps).toEqual([100, 200, 400]);
  });

  it("waits out the whole timeout, cutting the last wait to end at the deadline, then tries once more", async () => {
    const clock = fakeClock();
    let calls = 0;
    const attempt = retrying("reach Postgres", { timeoutMs: 1_000, initialDelayMs: 100, ...clock }, async () => {
      calls += 1;
      throw refused();
    });
    await expect(attempt).rejects.toThrow(GaveUpError);
    // 100 + 200 + 400 = 700 ms of back-off; the next 800 ms wait is cut to the 300 ms left.
    expect(clock.sleeps).toEqual([100, 200, 400, 300]);
    expect(calls, "one attempt before each wait, and one at the deadline").toBe(5);
  });

  it("states the configured timeout and the setting it came from when it gives up", async () => {
    const attempt = retrying(
      "reach Postgres",
      { timeoutMs: 5_000, timeoutSetting: "--connect-timeout-seconds", ...fakeClock() },
      async () => { throw refused(); },
    );
    await expect(attempt).rejects.toThrow(
      /^could not reach Postgres within 5 s \(the configured timeout, --connect-timeout-seconds; gave up after 5 s\): .*ECONNREFUSED/,
    );
  });

  it("does not retry an error that is not about connectivity", async () => {
    let calls = 0;
    const attempt = retrying("insert", { timeoutMs: 10_000, ...fakeClock() }, async () => {
      calls += 1;
      throw Object.assign(new Error("duplicate key"), { code: "23505" });
    });
    await expect(attempt).rejects.toThrow("duplicate key");
    expect(calls).toBe(1);
  });

  it("looks through a client's wrapper to the connection error it wraps", () => {
    const wrapped = Object.assign(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:9"), {
      name: "KafkaJSNonRetriableError",
      retriable: false,
      cause: Object.assign(new Error("connect ECONNREFUSED"), { name: "KafkaJSConnectionError" }),
    });
    expect(isTransient(wrapped)).toBe(true);
    expect(isTransient(Object.assign(new Error("bad message"), { cause: new Error("invalid") }))).toBe(false);
  });

  it("treats Postgres shutdown and connection classes as transient", () => {
    expect(isTransient({ code: "57P01" })).toBe(true);
    expect(isTransient({ code: "08006" })).toBe(true);
    expect(isTransient({ code: "42601" })).toBe(false);
    expect(isTransient(new Error("Connection terminated unexpectedly"))).toBe(true);
  });
});
