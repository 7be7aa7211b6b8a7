// From the rows an engine returns to what the terminal shows: the newest settled window per
// bucket, with a trend of net revenue per lead over the windows before it. Pure: no I/O.

/** A row of classifier_metrics, as the view reads it (numbers may arrive as text: numeric). */
export interface MetricsRow {
  window_end: Date | string;
  experiment_bucket: string;
  num_leads: number | string;
  precision: number | string | null;
  recall: number | string | null;
  f1_score: number | string | null;
  net_revenue_per_lead_dollars: number | string | null;
}

export interface BucketLine {
  bucket: string;
  windowEndMs: number;
  numLeads: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  netRevenuePerLeadDollars: number | null;
  /** Net revenue per lead, oldest first, one value per window that has one. */
  trend: number[];
}

/** A window is shown once its grace has passed: late rows (a slow bridge) can still change it before. */
export const GRACE_MS = 5_000;

export interface ModelOptions {
  nowMs: number;
  graceMs?: number;
  trendWindows: number;
}

export function bucketLines(rows: readonly MetricsRow[], opts: ModelOptions): BucketLine[] {
  const settledUntilMs = opts.nowMs - (opts.graceMs ?? GRACE_MS);
  const settled = rows.map(parse).filter((row) => row.windowEndMs <= settledUntilMs);
  const latestMs = Math.max(...settled.map((row) => row.windowEndMs));
  if (!Number.isFinite(latestMs)) return [];
  const trendFromMs = latestMs - opts.trendWindows * 1000;
  return settled
    .filter((row) => row.windowEndMs === latestMs)
    .sort((a, b) => bucketOrder(a.bucket) - bucketOrder(b.bucket) || a.bucket.localeCompare(b.bucket))
    .map((row) => ({
      ...row,
      trend: settled
        .filter((r) => r.bucket === row.bucket && r.windowEndMs > trendFromMs && r.netRevenuePerLeadDollars !== null)
        .sort((a, b) => a.windowEndMs - b.windowEndMs)
        .map((r) => r.netRevenuePerLeadDollars as number),
    }));
}

/** control, experiment, then anything else; `unknown` (leads without a prediction) last. */
function bucketOrder(bucket: string): number {
  return bucket === "unknown" ? 2 : bucket === "control" || bucket === "experiment" ? 0 : 1;
}

function parse(row: MetricsRow): Omit<BucketLine, "trend"> {
  return {
    bucket: row.experiment_bucket,
    windowEndMs: new Date(row.window_end).getTime(),
    numLeads: Number(row.num_leads),
    precision: numberOrNull(row.precision),
    recall: numberOrNull(row.recall),
    f1: numberOrNull(row.f1_score),
    netRevenuePerLeadDollars: numberOrNull(row.net_revenue_per_lead_dollars),
  };
}

const numberOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

/** The newest settled rows of another view (a signal, the alerts): rows sorted newest first. */
export function newestSettled<T extends { window_end: Date | string }>(rows: readonly T[], nowMs: number, limit: number, graceMs = GRACE_MS): T[] {
  return rows
    .filter((row) => new Date(row.window_end).getTime() <= nowMs - graceMs)
    .sort((a, b) => new Date(b.window_end).getTime() - new Date(a.window_end).getTime())
    .slice(0, limit);
}

/** The rows of the newest settled window of a view (a signal: one row per bucket or feature). */
export function newestSettledWindow<T extends { window_end: Date | string }>(rows: readonly T[], nowMs: number, graceMs = GRACE_MS): T[] {
  const settled = newestSettled(rows, nowMs, rows.length, graceMs);
  const newestMs = settled[0] === undefined ? undefined : new Date(settled[0].window_end).getTime();
  return settled.filter((row) => new Date(row.window_end).getTime() === newestMs);
}
