// SUBSCRIBE's changes applied to the rows a view holds, and when a terminal can be redrawn.
// Pure: what watch/sources.ts and watch/main.ts decide, kept where a unit test can reach it.

/** A SUBSCRIBE row: the view's columns plus Materialize's logical time and the change (+n / -n). */
export type Change<T> = T & { mz_timestamp: string | number; mz_diff: string | number };

/** Adds each change to the multiset of current rows (keyed by their JSON); a count of 0 removes the row. */
export function applyChanges<T extends object>(current: Map<string, { row: T; count: number }>, changes: ReadonlyArray<Change<T>>): T[] {
  for (const { mz_timestamp: _time, mz_diff: diff, ...columns } of changes) {
    const row = columns as unknown as T;
    const key = JSON.stringify(row);
    const count = (current.get(key)?.count ?? 0) + Number(diff);
    if (count === 0) current.delete(key);
    else current.set(key, { row, count });
  }
  return [...current.values()].flatMap(({ row, count }) => Array.from({ length: Math.max(count, 0) }, () => row));
}

/** log-update clips its frame to the terminal's rows: a terminal that reports none gets plain lines. */
export function canRedraw(out: { isTTY?: boolean; rows?: number }): boolean {
  return out.isTTY === true && (out.rows ?? 0) > 0;
}
