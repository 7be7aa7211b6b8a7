// Which alerts start and which resolve, from one reading of the firing rows to the next.
// Pure: alerts/main.ts feeds it each reading (a poll on the reference engine, each logical time
// of a SUBSCRIBE on Materialize); a unit test feeds it hand-made readings.

/** A row of alerts/sql/firing-alerts.sql: a rule that fired in a recent settled window. */
export interface FiringRow {
  rule_name: string;
  subject: string | null;
  signal: string;
  window_end: Date;
  value: number;
  threshold: number;
}

/** The alert's row then: for a start the newest window it fired in, for a resolve the last one. */
export interface AlertTransition extends FiringRow {
  event: "start" | "resolve";
}

/** An alert is one rule about one subject (a bucket, a feature, or none). */
export const alertKey = (row: Pick<FiringRow, "rule_name" | "subject">): string => JSON.stringify([row.rule_name, row.subject]);

/** The newest firing row of each alert in one reading. */
export function newestPerAlert(rows: readonly FiringRow[]): Map<string, FiringRow> {
  const newest = new Map<string, FiringRow>();
  for (const row of rows) {
    const key = alertKey(row);
    const seen = newest.get(key);
    if (seen === undefined || row.window_end.getTime() > seen.window_end.getTime()) newest.set(key, row);
  }
  return newest;
}

const transition = (event: AlertTransition["event"], row: FiringRow): AlertTransition =>
  ({ event, ...row, value: Number(row.value), threshold: Number(row.threshold) });

/**
 * Compares a reading with the alerts firing before it: those new to it start, those gone from
 * it resolve (reported with the last window they fired in). Returns the alerts firing now.
 */
export function nextTransitions(firing: ReadonlyMap<string, FiringRow>, rows: readonly FiringRow[]):
  { firing: Map<string, FiringRow>; transitions: AlertTransition[] } {
  const now = newestPerAlert(rows);
  const transitions: AlertTransition[] = [];
  for (const [key, row] of firing) {
    if (!now.has(key)) transitions.push(transition("resolve", row));
  }
  const started = [...now].filter(([key]) => !firing.has(key)).map(([, row]) => row);
  started.sort((a, b) => a.window_end.getTime() - b.window_end.getTime() || a.rule_name.localeCompare(b.rule_name));
  transitions.push(...started.map((row) => transition("start", row)));
  return { firing: now, transitions };
}
