// An independent brute force of pipeline_health, written from its definition (the header of
// materialize/50_metrics/71_pipeline_health_window_metrics.sql and the README), not from the
// SQL's shape: list every visible 1-minute window and count each event that happened in it,
// event by event.
//
//   window E: a multiple of 10 s; holds events with E − 60 s < time ≤ E; visible while
//             E + 5 s ≤ now < E + 10 min.
//   leads (by created_at), scored if a prediction for it is kept; latency = predicted_at −
//             created_at of its first prediction (the dedupe rule);
//   messages (by predicted_at): every kept message; duplicates = messages that are not
//             their lead's earliest kept message;
//   conversions (by converted_at): up to 5 min after the lead; late if after created + 30 s.

import type { Dataset, PredictionMessage } from "./dataset.ts";
import { comparePredictions, H_MS, KEPT_MS, R_MS } from "./oracle.ts";
import type { PipelineHealthRow } from "./pipeline-health.ts";

export const HEALTH_WINDOW_MS = 60_000;
export const HEALTH_HOP_MS = 10_000;
export const HEALTH_GRACE_MS = 5_000;
export const LATE_CONVERSION_LIMIT_MS = 5 * 60_000;

interface Event {
  atMs: number;
}

export function oraclePipelineHealth(data: Dataset, nowMs: number): PipelineHealthRow[] {
  const isKept = (atMs: number) => nowMs < atMs + KEPT_MS;
  const messages = data.predictions.filter((p) => isKept(Date.parse(p.predicted_at)));
  const leads = data.leads.filter((l) => isKept(l.createdAtMs)).map((lead) => {
    const first = messages.filter((m) => m.lead_id === lead.id).sort(comparePredictions)[0];
    return { atMs: lead.createdAtMs, latencyMs: first ? Date.parse(first.predicted_at) - lead.createdAtMs : undefined };
  });
  const firstIndex = firstMessageIndexByLead(messages);
  const messageEvents = messages.map((m, i) => ({ atMs: Date.parse(m.predicted_at), duplicate: firstIndex.get(m.lead_id) !== i }));
  const conversions = data.leads
    .filter((l) => isKept(l.createdAtMs) && l.convertedAtMs !== undefined && l.convertedAtMs <= l.createdAtMs + LATE_CONVERSION_LIMIT_MS)
    .map((l) => ({ atMs: l.convertedAtMs as number, late: (l.convertedAtMs as number) > l.createdAtMs + H_MS }));

  const rows: PipelineHealthRow[] = [];
  const lastEnd = Math.floor((nowMs - HEALTH_GRACE_MS) / HEALTH_HOP_MS) * HEALTH_HOP_MS;
  for (let end = lastEnd; end + R_MS > nowMs; end -= HEALTH_HOP_MS) {
    const inWindow = <T extends Event>(events: readonly T[]) => events.filter((e) => end - HEALTH_WINDOW_MS < e.atMs && e.atMs <= end);
    const l = inWindow(leads);
    const m = inWindow(messageEvents);
    const c = inWindow(conversions);
    if (l.length + m.length + c.length === 0) continue;
    const latencies = l.flatMap((x) => (x.latencyMs === undefined ? [] : [x.latencyMs]));
    const late = c.filter((x) => x.late).length;
    rows.push({
      window_end: new Date(end).toISOString(),
      leads: l.length,
      scored_leads: latencies.length,
      prediction_coverage: l.length === 0 ? null : latencies.length / l.length,
      prediction_messages: m.length,
      duplicate_messages: m.filter((x) => x.duplicate).length,
      mean_prediction_latency_ms: latencies.length === 0 ? null : latencies.reduce((a, b) => a + b, 0) / latencies.length,
      max_prediction_latency_ms: latencies.length === 0 ? null : Math.max(...latencies),
      conversions: c.length,
      conversions_after_horizon: late,
      late_conversion_share: c.length === 0 ? null : late / c.length,
    });
  }
  return rows.reverse();
}

/** Per lead, the position of its earliest message (the first such copy): every other one is a duplicate. */
function firstMessageIndexByLead(messages: readonly PredictionMessage[]): Map<number, number> {
  const first = new Map<number, number>();
  messages.forEach((m, i) => {
    const current = first.get(m.lead_id);
    if (current === undefined || Date.parse(m.predicted_at) < Date.parse((messages[current] as PredictionMessage).predicted_at)) first.set(m.lead_id, i);
  });
  return first;
}
