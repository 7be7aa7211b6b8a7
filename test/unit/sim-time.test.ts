import { describe, expect, it } from "vitest";
import { isoFromMs, msFromIso } from "../../loadgen/sim/time.ts";

describe("event timestamps", () => {
  it("are ISO-8601 with milliseconds and an explicit +00:00 offset", () => {
    // 2026-01-01T00:00:00Z = 56 years since 1970 incl. 14 leap days = 20 454 days · 86 400 000 ms
    const newYear2026Ms = 20_454 * 86_400_000;
    expect(newYear2026Ms).toBe(1_767_225_600_000);
    expect(isoFromMs(newYear2026Ms)).toBe("2026-01-01T00:00:00.000+00:00");
    expect(isoFromMs(newYear2026Ms + 1234)).toBe("2026-01-01T00:00:01.234+00:00");
    expect(isoFromMs(newYear2026Ms + 61_005)).toBe("2026-01-01T00:01:01.005+00:00");
    expect(isoFromMs(newYear2026Ms - 1)).toBe("2025-12-31T23:59:59.999+00:00");
    expect(isoFromMs(0)).toBe("1970-01-01T00:00:00.000+00:00");
  });

  it("stay correct when times go back and forth across seconds", () => {
    const t = 1_767_225_600_000;
    for (const ms of [t + 999, t + 1000, t + 5, t + 86_400_000 + 70, t + 998]) {
      expect(isoFromMs(ms)).toBe(new Date(ms).toISOString().replace("Z", "+00:00"));
    }
  });

  it("stay correct for seconds that share a slot of the formatting cache, in any order", () => {
    // Seconds 64 apart (and multiples) land in the same slot; a pseudo-random walk mixes them
    // with neighbours, days apart and years apart. The oracle is Date's own formatting.
    const t = 1_767_225_600_000;
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5_000; i++) {
      const ms = t + Math.floor(next() * 8) * 64_000 * Math.floor(next() * 1000) + Math.floor(next() * 200_000);
      expect(isoFromMs(ms)).toBe(new Date(ms).toISOString().replace("Z", "+00:00"));
    }
  });

  it("parse back to the same millisecond", () => {
    for (const ms of [0, 1, 999, 1_767_225_601_234, 253_402_300_799_999]) expect(msFromIso(isoFromMs(ms))).toBe(ms);
    expect(msFromIso("2026-01-01T01:00:00.000+01:00")).toBe(1_767_225_600_000);
  });

  it("refuse fractional, negative or out-of-range milliseconds and unparsable text", () => {
    expect(() => isoFromMs(1.5)).toThrow(/integer ms/);
    expect(() => isoFromMs(-1)).toThrow(/integer ms/);
    expect(() => isoFromMs(253_402_300_800_000)).toThrow(/integer ms/);
    expect(() => msFromIso("yesterday")).toThrow(/not an ISO-8601 timestamp/);
  });
});
