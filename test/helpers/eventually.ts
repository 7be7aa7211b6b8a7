// Polls until an assertion holds: for results that arrive asynchronously (a Kafka consumer,
// a Materialize view catching up). Fails with the last assertion message and the last value read.

export interface EventuallyOptions {
  timeoutMs?: number;
  initialDelayMs?: number;
  factor?: number;
  /** What is awaited, for the error message ("the revenue view shows 3 orders"). */
  describe?: string;
}

const MAX_VALUE_CHARS = 4000;
const MAX_DELAY_MS = 2000;

export async function expectEventually<T>(
  read: () => Promise<T>,
  check: (value: T) => void,
  opts: EventuallyOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, initialDelayMs = 50, factor = 1.5 } = opts;
  const startedAt = Date.now();
  let delayMs = initialDelayMs;
  let attempts = 0;
  let lastValue: { value: T } | undefined;
  let lastFailure: unknown;
  for (;;) {
    attempts += 1;
    try {
      const value = await read();
      lastValue = { value };
      check(value);
      return value;
    } catch (failure) {
      lastFailure = failure;
    }
    const remainingMs = timeoutMs - (Date.now() - startedAt);
    if (remainingMs <= 0) break;
    await sleep(Math.min(delayMs, remainingMs));
    delayMs = Math.min(delayMs * factor, MAX_DELAY_MS);
  }
  const what = opts.describe ?? "condition";
  throw new Error(
    `${what} not met within ${timeoutMs} ms (${attempts} attempts)\n` +
      `last failure: ${messageOf(lastFailure)}\n` +
      `last value: ${lastValue ? describeValue(lastValue.value) : "(read never succeeded)"}`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

/** JSON of the value (bigints as strings), cut to MAX_VALUE_CHARS. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length <= MAX_VALUE_CHARS
    ? text
    : `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length - MAX_VALUE_CHARS} more chars)`;
}
