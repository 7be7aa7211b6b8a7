// Event time is integer milliseconds since the Unix epoch inside the simulator; events carry
// it as ISO-8601 text with millisecond precision and an explicit "+00:00" offset, so every
// sink writes exactly the same string (and Postgres, Kafka consumers and JSON agree).

const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

// Formatting a Date costs ~0.6 µs and a lead needs up to four timestamps: its arrival and
// prediction mostly in the same second, its conversion up to 30 s later, and the next lead's
// arrival back near the first. So the "YYYY-MM-DDTHH:MM:SS" text of recent seconds is kept in
// a small table indexed by the second (modulo its size): 64 slots hold a 30 s span twice over.
const SECOND_SLOTS = 64;
const slotSecond = new Float64Array(SECOND_SLOTS).fill(Number.NaN);
const slotText: string[] = new Array<string>(SECOND_SLOTS).fill("");

/** 1767225600000 → "2026-01-01T00:00:00.000+00:00". */
export function isoFromMs(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_FOUR_DIGIT_YEAR_MS) {
    throw new Error(`timestamp must be an integer ms in [0, ${MAX_FOUR_DIGIT_YEAR_MS}], got ${ms}`);
  }
  const second = Math.floor(ms / 1000);
  const slot = second % SECOND_SLOTS;
  if (slotSecond[slot] !== second) {
    slotText[slot] = new Date(second * 1000).toISOString().slice(0, 19);
    slotSecond[slot] = second;
  }
  const milli = ms - second * 1000;
  return `${slotText[slot]!}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}+00:00`;
}

/** The inverse of isoFromMs; accepts any ISO-8601 text with an offset. */
export function msFromIso(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`not an ISO-8601 timestamp: ${JSON.stringify(iso)}`);
  return ms;
}
