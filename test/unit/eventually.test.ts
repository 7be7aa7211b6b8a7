import { describe, expect, it } from "vitest";
import { describeValue, expectEventually } from "../helpers/eventually.ts";

/** A read that returns the next value on each call, repeating the last one. */
function readsInTurn<T>(values: T[]): { read: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    read: async () => values[Math.min(calls++, values.length - 1)] as T,
    calls: () => calls,
  };
}

const expectRows = (expected: number) => (rows: string[]) => expect(rows).toHaveLength(expected);

describe("expectEventually", () => {
  it("returns the first value that passes the check, here on the third read", async () => {
    const reads = readsInTurn([["a"], ["a", "b"], ["a", "b", "c"], ["never read"]]);
    const value = await expectEventually(reads.read, expectRows(3), { initialDelayMs: 1 });
    expect(value).toEqual(["a", "b", "c"]);
    expect(reads.calls()).toBe(3);
  });

  it("keeps polling while the read itself throws", async () => {
    let calls = 0;
    const read = async () => {
      calls += 1;
      if (calls < 3) throw new Error("connection refused");
      return ["x", "y", "z"];
    };
    await expect(expectEventually(read, expectRows(3), { initialDelayMs: 1 })).resolves.toEqual(["x", "y", "z"]);
  });

  it("fails after the timeout with the last check failure and the last value read", async () => {
    const reads = readsInTurn([["first"], ["first", "last-value-marker"]]);
    const attempt = expectEventually(reads.read, expectRows(3), {
      timeoutMs: 100,
      initialDelayMs: 5,
      describe: "three rows",
    });
    await expect(attempt).rejects.toThrow(/three rows not met within 100 ms/);
    await expect(attempt).rejects.toThrow(/last failure: expected \[ 'first', 'last-value-marker' \] to have a length of 3/);
    await expect(attempt).rejects.toThrow('last value: ["first","last-value-marker"]');
  });

  it("says so when the read never succeeded", async () => {
    const read = async (): Promise<number> => {
      throw new Error("relation does not exist");
    };
    const attempt = expectEventually(read, () => {}, { timeoutMs: 30, initialDelayMs: 5 });
    await expect(attempt).rejects.toThrow(/last failure: relation does not exist\nlast value: \(read never succeeded\)/);
  });
});

describe("describeValue", () => {
  it("writes bigints as strings", () => {
    expect(describeValue({ mz_timestamp: 1700000000000n })).toBe('{"mz_timestamp":"1700000000000"}');
  });

  it("cuts long values to 4000 characters and says how much was left out", () => {
    const text = describeValue("x".repeat(5000));
    // JSON adds two quotes: 5002 characters, of which 4000 are kept.
    expect(text).toBe(`"${"x".repeat(3999)}… (1002 more chars)`);
  });
});
