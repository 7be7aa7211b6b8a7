import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { choiceWeighted, deriveRng, exponential, normal, reusableRng, uniform, uniformInt, type Rng } from "../../loadgen/sim/rng.ts";

const N = 100_000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const draws = (rng: Rng, f: (rng: Rng) => number, n = N) => Array.from({ length: n }, () => f(rng));

describe("per-lead random streams", () => {
  it("draw exactly what seedrandom's tychei draws for the key <seed>/<stream>/<id>", () => {
    let compared = 0;
    for (const seed of ["bench", "", "s", "ünï ✓", "42"]) {
      for (const stream of ["arrival", "email", "x"]) {
        for (const id of [0, -0, 1, 9, 10, 99, 100, 12_345, 2 ** 40, 2 ** 53 - 1, 2 ** 53, 1e21, 1.5, -3, Number.NaN]) {
          const ours = deriveRng(seed, stream, id);
          const reference = seedrandom.tychei(`${seed}/${stream}/${id}`);
          for (let draw = 0; draw < 5; draw++, compared++) expect(ours(), `${seed}/${stream}/${id} draw ${draw}`).toBe(reference());
        }
      }
    }
    expect(compared).toBe(5 * 3 * 15 * 5);
  });

  it("draw the same when re-seeded in place as when derived anew, whatever came before", () => {
    // The oracle is seedrandom's tychei again; seeds, ids and draw counts change from call to call.
    const arrival = reusableRng("arrival");
    let compared = 0;
    for (const [seed, id, drawCount] of [["bench", 1, 3], ["bench", 2, 0], ["other", 2, 7], ["bench", 2, 1], ["", 12_345, 4], ["bench", 1, 2]] as const) {
      const ours = arrival(seed, id);
      const reference = seedrandom.tychei(`${seed}/arrival/${id}`);
      for (let draw = 0; draw < drawCount; draw++, compared++) expect(ours(), `${seed}/arrival/${id} draw ${draw}`).toBe(reference());
    }
    expect(compared).toBe(17);
    expect(() => reusableRng("a/b")).toThrow(/must not contain "\/"/);
  });

  it("draw the same when re-seeded in place after more seeds than the prefix cache keeps", () => {
    const arrival = reusableRng("arrival");
    const seeds = Array.from({ length: 70 }, (_, i) => `seed-${i}`);
    for (const seed of [...seeds, seeds[0]!, "bench", seeds[69]!]) {
      const ours = arrival(seed, 42);
      const reference = seedrandom.tychei(`${seed}/arrival/42`);
      for (let draw = 0; draw < 3; draw++) expect(ours(), `${seed} draw ${draw}`).toBe(reference());
    }
  });

  it("give the same sequence for the same (seed, stream, id)", () => {
    const a = deriveRng("s", "score", 42);
    const b = deriveRng("s", "score", 42);
    expect(draws(a, uniform, 10)).toEqual(draws(b, uniform, 10));
  });

  it("give different sequences when the seed, the stream or the id differs", () => {
    const first = (seed: string, stream: string, id: number) => deriveRng(seed, stream, id)();
    const base = first("s", "score", 42);
    expect(first("t", "score", 42)).not.toBe(base);
    expect(first("s", "outcome", 42)).not.toBe(base);
    expect(first("s", "score", 43)).not.toBe(base);
  });

  it("refuse a stream name containing the key separator", () => {
    expect(() => deriveRng("s", "a/b", 1)).toThrow(/must not contain "\/"/);
  });

  it("show no dependence between neighbouring ids or between two streams of one id", () => {
    // 8x8 contingency table of first draws; chi-square with 63 df has mean 63, sd ~11.2;
    // 120 is beyond the 99.99th percentile.
    const chiSquare = (pairs: [number, number][]) => {
      const cells = new Array<number>(64).fill(0);
      for (const [x, y] of pairs) cells[Math.floor(x * 8) * 8 + Math.floor(y * 8)]! += 1;
      const expected = pairs.length / 64;
      return cells.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    };
    const n = 50_000;
    const firstDraw = (stream: string, id: number) => deriveRng("lab", stream, id)();
    const neighbours = Array.from({ length: n }, (_, i) => [firstDraw("score", i), firstDraw("score", i + 1)] as [number, number]);
    const streams = Array.from({ length: n }, (_, i) => [firstDraw("score", i), firstDraw("outcome", i)] as [number, number]);
    expect(chiSquare(neighbours)).toBeLessThan(120);
    expect(chiSquare(streams)).toBeLessThan(120);
  });
});

describe("distribution helpers", () => {
  const rng = deriveRng("helpers", "test", 1);

  it("uniformInt covers both ends of its inclusive range and nothing outside", () => {
    const values = draws(rng, (r) => uniformInt(r, 3, 6), 10_000);
    expect(new Set(values)).toEqual(new Set([3, 4, 5, 6]));
  });

  it("uniformInt has the mean of a discrete uniform distribution", () => {
    // U{500..5000}: mean 2750, sd = sqrt((4501² − 1)/12) ≈ 1299.3; 5 SE over 100k draws ≈ 20.5
    expect(Math.abs(mean(draws(rng, (r) => uniformInt(r, 500, 5000))) - 2750)).toBeLessThan(20.5);
  });

  it("uniformInt refuses an empty or fractional range", () => {
    expect(() => uniformInt(rng, 5, 4)).toThrow(/lo <= hi/);
    expect(() => uniformInt(rng, 0.5, 4)).toThrow(/integers/);
  });

  it("exponential has mean 1/rate", () => {
    // rate 4: mean 0.25, sd 0.25; 5 SE over 100k draws ≈ 0.004
    expect(Math.abs(mean(draws(rng, (r) => exponential(r, 4))) - 0.25)).toBeLessThan(0.004);
    expect(() => exponential(rng, 0)).toThrow(/rate must be finite and > 0/);
  });

  it("normal has mean 0 and variance 1", () => {
    const xs = draws(rng, normal);
    // SE of the mean 1/sqrt(n) ≈ 0.0032; SE of the variance sqrt(2/n) ≈ 0.0045
    expect(Math.abs(mean(xs))).toBeLessThan(5 * 0.0032);
    expect(Math.abs(mean(xs.map((x) => x * x)) - 1)).toBeLessThan(5 * 0.0045);
  });

  it("choiceWeighted picks in proportion to the weights and never picks a zero weight", () => {
    const choices = [["a", 1], ["b", 3], ["never", 0], ["c", 6]] as const;
    const picks = draws(rng, (r) => ["a", "b", "c"].indexOf(choiceWeighted(r, choices)));
    const share = (k: number) => picks.filter((p) => p === k).length / N;
    // shares 0.1, 0.3, 0.6; binomial SE ≤ sqrt(0.25/n) ≈ 0.0016
    expect(Math.abs(share(0) - 0.1)).toBeLessThan(5 * 0.0016);
    expect(Math.abs(share(1) - 0.3)).toBeLessThan(5 * 0.0016);
    expect(Math.abs(share(2) - 0.6)).toBeLessThan(5 * 0.0016);
    expect(picks).not.toContain(-1);
  });
});
