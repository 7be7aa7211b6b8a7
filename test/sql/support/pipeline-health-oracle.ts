// An independent brute force of pipeline_health, written from its definition (the header of
// materialize/50_metrics/81_pipeline_health_window_metrics.sql and the README), not from the
// SQL's shape: list every visible 1-minute window and count each event that happened in it,
// event by event.
//
//   window E: a multiple of 10 s; holds events with E − 60 s < time ≤ E; visible while
//             E + 5 s ≤ now < E + 10 min.
//   leads (by created_at), scored if a prediction for it is kept; latency = predicted_at −
//             created_at of its first prediction (the dedupe rule);
//   messages (by received_at): every valid message received less than 16 min ago, whatever
//             its predicted_at, delay = received_at − predicted_at; a message is a duplicate
//             when its lead has another valid message (kept or not) received 0..5 min before
//             it, or received at the same instant and listed earlier; rejected = kept
//             messages the oracle's own reader (oracle-messages.ts) refuses;
//   (latency and "scored" read only messages whose predicted_at is recent too)
//   conversions (by converted_at): up to 5 min after the lead; late if after created + 30 s.

import type { Dataset } from "./dataset.ts";
import { comparePredictions, H_MS, KEPT_MS, R_MS } from "./oracle.ts";
import { oracleReads, readableMessages, type ReadMessage } from "./oracle-messages.ts";
import type { PipelineHealthRow } from "./pipeline-health.ts";

export const HEALTH_WINDOW_MS = 60_000;
export const HEALTH_HOP_MS = 10_000;
export const HEALTH_GRACE_MS = 5_000;
export const LATE_CONVERSION_LIMIT_MS = 5 * 60_000;
export const DUPLICATE_LOOK_BACK_MS = 5 * 60_000;

interface Event {
  atMs: number;
}

export function oraclePipelineHealth(data: Dataset, nowMs: number): PipelineHealthRow[] {
  const isKept = (atMs: number) => nowMs < atMs + KEPT_MS;
  const readable = readableMessages(data);
  const messages = readable.filter((m) => isKept(m.receivedAtMs));
  const predictions = messages.filter((m) => isKept(Date.parse(m.message.predicted_at)));
  const leads = data.leads.filter((l) => isKept(l.createdAtMs)).map((lead) => {
    const first = predictions.map((m) => m.message).filter((m) => m.lead_id === lead.id).sort(comparePredictions)[0];
    return { atMs: lead.createdAtMs, latencyMs: first ? Date.parse(first.predicted_at) - lead.createdAtMs : undefined };
  });
  const messageEvents = messages.map((m) => ({
    atMs: m.receivedAtMs,
    delayMs: m.receivedAtMs - Date.parse(m.message.predicted_at),
    duplicate: isDuplicate(m, readable),
  }));
  const rejected = (data.rawMessages ?? []).filter((m) => isKept(m.receivedAtMs) && oracleReads(m) === undefined).map((m) => ({ atMs: m.receivedAtMs }));
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
    const r = inWindow(rejected);
    if (l.length + m.length + c.length + r.length === 0) continue;
    const latencies = l.flatMap((x) => (x.latencyMs === undefined ? [] : [x.latencyMs]));
    const late = c.filter((x) => x.late).length;
    rows.push({
      window_end: new Date(end).toISOString(),
      leads: l.length,
      scored_leads: latencies.length,
      prediction_coverage: l.length === 0 ? null : latencies.length / l.length,
      prediction_messages: m.length,
      duplicate_messages: m.filter((x) => x.duplicate).length,
      rejected_messages: r.length,
      mean_prediction_latency_ms: latencies.length === 0 ? null : latencies.reduce((a, b) => a + b, 0) / latencies.length,
      max_prediction_latency_ms: latencies.length === 0 ? null : Math.max(...latencies),
      mean_delivery_delay_ms: m.length === 0 ? null : m.reduce((a, x) => a + x.delayMs, 0) / m.length,
      max_delivery_delay_ms: m.length === 0 ? null : Math.max(...m.map((x) => x.delayMs)),
      conversions: c.length,
      conversions_after_horizon: late,
      late_conversion_share: c.length === 0 ? null : late / c.length,
    });
  }
  return rows.reverse();
}

/** A copy follows another valid message of its lead received up to 5 minutes before it (or at the same instant, listed first). */
function isDuplicate(message: ReadMessage, all: readonly ReadMessage[]): boolean {
  const mine = all.indexOf(message);
  return all.some((other, k) => {
    if (k === mine || other.message.lead_id !== message.message.lead_id) return false;
    const beforeMs = message.receivedAtMs - other.receivedAtMs;
    return beforeMs > 0 ? beforeMs <= DUPLICATE_LOOK_BACK_MS : beforeMs === 0 && k < mine;
  });
}
