// Test support: runs the default profile under one incident through the real stdout sink and
// reads the printed lines back into per-lead records, so a test measures an incident by brute
// force over the events a user would see. No services.

import { PassThrough } from "node:stream";
import { Pipeline } from "../../loadgen/pipeline.ts";
import { stdoutSink } from "../../loadgen/sinks/stdout.ts";
import { makeProfile } from "../../loadgen/sim/profiles/index.ts";
import type { TimedIncident } from "../../loadgen/sim/scenario/incidents.ts";
import { simulate } from "../../loadgen/sim/simulate.ts";

export const RUN_START_MS = Date.UTC(2026, 0, 1);
export const LEADS = 40_000; // 500 s at 80 leads/s
export const SPAN = { fromMs: RUN_START_MS + 150_000, untilMs: RUN_START_MS + 350_000 };
export const SEED = "scenario-effects";

export interface LeadRecord {
  id: number;
  createdAtMs: number;
  utmSource: string;
  predictions: { score: number; bucket: string; label: boolean }[];
  coupon: boolean;
  convertedAtMs: number | undefined;
  /** Created inside SPAN. */
  inside: boolean;
}

/** One incident of `kind` over SPAN (none for "steady"), run to completion; lines as printed. */
export async function runWith(incident: Pick<TimedIncident, "kind" | "params"> | undefined): Promise<{ text: string; leads: LeadRecord[] }> {
  const timeline = incident
    ? [{ ...incident, incidentId: 1, startsAtMs: SPAN.fromMs, endsAtMs: SPAN.untilMs } as TimedIncident]
    : [];
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  const steps = simulate({ seed: SEED, profile: makeProfile("default", {}, timeline), startMs: RUN_START_MS, firstLeadId: 1, ratePerSecond: 80, leads: LEADS });
  await new Pipeline(stdoutSink(out), { maxBuffered: 1000 }).run(steps);
  const text = chunks.join("");
  return { text, leads: recordsOf(text) };
}

/** The fields these tests read from any printed line (which ones are present depends on `type`). */
interface PrintedLine {
  type: string; id: number; lead_id: number; created_at: string; converted_at: string; utm_source: string;
  score: number; experiment_bucket: string; label: boolean;
}

function recordsOf(text: string): LeadRecord[] {
  const byId = new Map<number, LeadRecord>();
  for (const line of text.trimEnd().split("\n")) {
    const event = JSON.parse(line) as PrintedLine;
    if (event.type === "lead") {
      const createdAtMs = Date.parse(event.created_at);
      byId.set(event.id, {
        id: event.id, createdAtMs, utmSource: event.utm_source, predictions: [], coupon: false, convertedAtMs: undefined,
        inside: createdAtMs >= SPAN.fromMs && createdAtMs < SPAN.untilMs,
      });
    } else if (event.type === "prediction") {
      byId.get(event.lead_id)!.predictions.push({ score: event.score, bucket: event.experiment_bucket, label: event.label });
    } else if (event.type === "coupon") {
      byId.get(event.lead_id)!.coupon = true;
    } else if (event.type === "conversion") {
      byId.get(event.lead_id)!.convertedAtMs = Date.parse(event.converted_at);
    }
  }
  return [...byId.values()];
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};
export const binomialSe = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);
export const logit = (p: number) => Math.log(p / (1 - p));

/** AUC by brute force: the share of (positive, negative) pairs the score orders right, ties ½. */
export function bruteForceAuc(pairs: readonly { score: number; positive: boolean }[]): number {
  const positives = pairs.filter((p) => p.positive).map((p) => p.score);
  const negatives = pairs.filter((p) => !p.positive).map((p) => p.score);
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}
