// A tiny scheduler for delayed outcomes (a lead's conversion is decided when the lead
// arrives, but happens later). A binary min-heap keyed by (due time, insertion order), so
// items due at the same millisecond come out first-in first-out.
// Model: Materialize's `FutureUpdates` in its marketing load generator.

interface Entry<T> {
  dueMs: number;
  seq: number;
  item: T;
}

export class FutureEvents<T> {
  readonly #heap: Entry<T>[] = [];
  #nextSeq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** Schedules `item` for `dueMs` (any finite number). */
  insert(dueMs: number, item: T): void {
    if (!Number.isFinite(dueMs)) throw new Error(`dueMs must be a finite number, got ${dueMs}`);
    this.#heap.push({ dueMs, seq: this.#nextSeq++, item });
    this.#siftUp(this.#heap.length - 1);
  }

  /** The earliest due time, or undefined when empty. */
  peekDueMs(): number | undefined {
    return this.#heap[0]?.dueMs;
  }

  /** Removes and returns every item due at or before `nowMs`, earliest first. */
  popDue(nowMs: number): T[] {
    const due: T[] = [];
    while (this.#heap.length > 0 && this.#heap[0]!.dueMs <= nowMs) due.push(this.#popMin().item);
    return due;
  }

  /** Removes and returns everything, earliest first. */
  drain(): T[] {
    return this.popDue(Infinity);
  }

  #popMin(): Entry<T> {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.#siftDown(0);
    }
    return top;
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = entry;
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, entry)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = entry;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}
