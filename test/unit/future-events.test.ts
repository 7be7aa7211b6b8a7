import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FutureEvents } from "../../loadgen/sim/future-events.ts";

describe("FutureEvents", () => {
  it("returns nothing and no due time when empty", () => {
    const queue = new FutureEvents<string>();
    expect(queue.size).toBe(0);
    expect(queue.peekDueMs()).toBeUndefined();
    expect(queue.popDue(1e15)).toEqual([]);
    expect(queue.drain()).toEqual([]);
  });

  it("pops only the items due at or before now, earliest first", () => {
    const queue = new FutureEvents<string>();
    queue.insert(300, "c");
    queue.insert(100, "a");
    queue.insert(200, "b");
    queue.insert(400, "d");
    expect(queue.peekDueMs()).toBe(100);
    expect(queue.popDue(99)).toEqual([]);
    expect(queue.popDue(200)).toEqual(["a", "b"]);
    expect(queue.size).toBe(2);
    expect(queue.peekDueMs()).toBe(300);
    expect(queue.drain()).toEqual(["c", "d"]);
    expect(queue.size).toBe(0);
  });

  it("keeps insertion order among items due at the same millisecond", () => {
    const queue = new FutureEvents<number>();
    for (let i = 0; i < 20; i++) queue.insert(i % 2 === 0 ? 5 : 7, i);
    expect(queue.drain()).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  it("refuses a due time that is not a finite number", () => {
    const queue = new FutureEvents<string>();
    expect(() => queue.insert(Number.NaN, "x")).toThrow(/dueMs must be a finite number, got NaN/);
    expect(() => queue.insert(Infinity, "x")).toThrow(/dueMs/);
  });

  it("behaves like a stably sorted array under any mix of inserts and pops", () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant("insert" as const), dueMs: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ kind: fc.constant("pop" as const), nowMs: fc.integer({ min: -1, max: 61 }) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const queue = new FutureEvents<number>();
        let oracle: { dueMs: number; id: number }[] = [];
        let nextId = 0;
        for (const op of operations) {
          if (op.kind === "insert") {
            queue.insert(op.dueMs, nextId);
            oracle.push({ dueMs: op.dueMs, id: nextId++ });
            oracle.sort((a, b) => a.dueMs - b.dueMs || a.id - b.id);
          } else {
            const expected = oracle.filter((e) => e.dueMs <= op.nowMs).map((e) => e.id);
            oracle = oracle.filter((e) => e.dueMs > op.nowMs);
            expect(queue.popDue(op.nowMs)).toEqual(expected);
          }
          expect(queue.size).toBe(oracle.length);
          expect(queue.peekDueMs()).toBe(oracle[0]?.dueMs);
        }
        expect(queue.drain()).toEqual(oracle.map((e) => e.id));
      }),
      { numRuns: 300 },
    );
  });
});
