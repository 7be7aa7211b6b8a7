// The oracle's own reading of a raw prediction message, written from the message contract
// (materialize/README.md, "Malformed messages") rather than from the SQL: JSON.parse, then
// plain TypeScript checks of each field. A message it cannot read is skipped, exactly as a
// rejected message must be skipped by every metric.
//
// Contract: one flat JSON object (every value a string, number, true, false or null), strings
// without \u escapes; lead_id a positive whole number; experiment_bucket "control" or
// "experiment"; model_version a non-empty string; score and threshold numbers in [0, 1];
// label true or false; predicted_at ISO-8601 with an offset, naming a real calendar instant.
// Numbers: at most 15 integer digits, 20 fraction digits and a one-digit exponent (valid JSON
// beyond that is refused: an engine might fail to hold it).

import type { Dataset, PredictionMessage, RawMessage } from "./dataset.ts";

export interface ReadMessage {
  message: PredictionMessage;
  receivedAtMs: number;
}

const BUCKETS = new Set(["control", "experiment"]);
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Every message of the dataset the oracle accepts, with its broker timestamp. */
export function readableMessages(data: Dataset): ReadMessage[] {
  const sent = data.predictions.map((message) => ({ message, receivedAtMs: Date.parse(message.predicted_at) }));
  const raw = (data.rawMessages ?? []).flatMap((m) => {
    const message = oracleReads(m);
    return message ? [{ message, receivedAtMs: m.receivedAtMs }] : [];
  });
  return [...sent, ...raw];
}

/** The message's fields when the contract accepts it, else undefined. */
export function oracleReads(raw: RawMessage): PredictionMessage | undefined {
  if (raw.text === null || usesUnicodeEscape(raw.text) || hasOversizedNumber(raw.text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  if (Object.values(fields).some((v) => typeof v === "object" && v !== null)) return undefined;
  const { lead_id, experiment_bucket, model_version, score, threshold, label, predicted_at } = fields;
  if (!(typeof lead_id === "number" && Number.isSafeInteger(lead_id) && lead_id > 0)) return undefined;
  if (!(typeof experiment_bucket === "string" && BUCKETS.has(experiment_bucket))) return undefined;
  if (!(typeof model_version === "string" && model_version.length > 0)) return undefined;
  if (!isUnitNumber(score) || !isUnitNumber(threshold)) return undefined;
  if (typeof label !== "boolean") return undefined;
  if (!(typeof predicted_at === "string" && isRealInstant(predicted_at))) return undefined;
  return { lead_id, experiment_bucket, model_version, score, threshold, label, predicted_at };
}

function isUnitNumber(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= 1;
}

/** A number literal (outside strings) with too many digits in any part. */
function hasOversizedNumber(text: string): boolean {
  const outsideStrings = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...outsideStrings.matchAll(/-?(\d+)(?:\.(\d+))?(?:[eE][-+]?(\d+))?/g)].some(
    ([, integer = "", fraction = "", exponent = ""]) => integer.length > 15 || fraction.length > 20 || exponent.length > 1,
  );
}

/** A backslash-u escape, not counting an escaped backslash followed by a `u`. */
function usesUnicodeEscape(text: string): boolean {
  return /\\u/.test(text.replace(/\\\\/g, ""));
}

/** ISO-8601 with an offset whose fields name a real instant: the calendar check is done by
 *  building the UTC date and reading its fields back. */
function isRealInstant(text: string): boolean {
  const match = ISO_WITH_OFFSET.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < 1000 || hour > 23 || minute > 59 || second > 59) return false;
  if (match[9] !== undefined && (Number(match[10]) > 14 || Number(match[11]) > 59)) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export interface MessageWindowCounts {
  window_end: string;
  num_messages: number;
  num_valid: number;
  num_rejected: number;
}

/** Per visible window (E - 30 s < received_at <= E, E <= now < E + 10 min), how many messages
 *  arrived and how many the oracle could not read. Messages older than 11 minutes are gone. */
export function oracleMessageWindows(data: Dataset, nowMs: number): MessageWindowCounts[] {
  const sent = data.predictions.map((p) => ({ readable: true, receivedAtMs: Date.parse(p.predicted_at) }));
  const raw = (data.rawMessages ?? []).map((m) => ({ readable: oracleReads(m) !== undefined, receivedAtMs: m.receivedAtMs }));
  const kept = [...sent, ...raw].filter((m) => nowMs < m.receivedAtMs + 11 * 60_000);
  const rows: MessageWindowCounts[] = [];
  for (let end = Math.floor(nowMs / 1000) * 1000; end + 10 * 60_000 > nowMs; end -= 1000) {
    const inWindow = kept.filter((m) => end - 30_000 < m.receivedAtMs && m.receivedAtMs <= end);
    if (inWindow.length === 0) continue;
    const valid = inWindow.filter((m) => m.readable).length;
    rows.push({ window_end: new Date(end).toISOString(), num_messages: inWindow.length, num_valid: valid, num_rejected: inWindow.length - valid });
  }
  return rows.sort((a, b) => a.window_end.localeCompare(b.window_end));
}
