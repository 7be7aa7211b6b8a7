// Bounded retry with exponential backoff, for reaching services that may be starting up or
// restarting. The clock and sleep are injectable so tests run instantly.

import { setTimeout as sleep } from "node:timers/promises";

export interface RetryPolicy {
  /** Keep trying until this much time has passed since the first attempt (the configured timeout). */
  timeoutMs: number;
  /** The setting the timeout came from, named when giving up (e.g. "--connect-timeout-seconds"). */
  timeoutSetting?: string;
  initialDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (what: string, attempt: number, error: unknown, delayMs: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class GaveUpError extends Error {
  constructor(what: string, timeoutMs: number, elapsedMs: number, readonly lastError: unknown, timeoutSetting?: string) {
    const setting = timeoutSetting ? `, ${timeoutSetting}` : "";
    super(
      `could not ${what} within ${formatSeconds(timeoutMs)} s (the configured timeout${setting}; ` +
        `gave up after ${formatSeconds(elapsedMs)} s): ${describe(lastError)}`,
    );
    this.name = "GaveUpError";
  }
}

const formatSeconds = (ms: number): string => String(Number((ms / 1000).toFixed(1)));

/**
 * Retries `attempt` while it fails with a connection error, backing off exponentially, until
 * `timeoutMs` has passed: the last wait is cut to end at the deadline, where one last attempt
 * runs, so it gives up after the configured time (plus that attempt), never before.
 */
export async function retrying<T>(what: string, policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  const now = policy.now ?? (() => performance.now());
  const wait = policy.sleep ?? ((ms: number) => sleep(ms));
  const started = now();
  let delayMs = policy.initialDelayMs ?? 200;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const remainingMs = policy.timeoutMs - (now() - started);
      if (remainingMs <= 0) throw new GaveUpError(what, policy.timeoutMs, now() - started, error, policy.timeoutSetting);
      const waitMs = Math.min(delayMs, remainingMs);
      policy.onRetry?.(what, n, error, waitMs);
      await wait(waitMs);
      delayMs = Math.min(delayMs * 2, policy.maxDelayMs ?? 5_000);
    }
  }
}

/** Connection trouble is worth retrying; a constraint violation or a bug is not. */
export function isTransient(error: unknown, depth = 0): boolean {
  const e = error as { code?: string; retriable?: boolean; name?: string; message?: string; cause?: unknown; originalError?: unknown } | undefined;
  if (!e || depth > 5) return false;
  // Clients wrap the socket error (kafkajs: KafkaJSNonRetriableError → cause / originalError).
  if (isTransient(e.cause, depth + 1) || isTransient(e.originalError, depth + 1)) return true;
  if (e.retriable === true) return true;
  if (typeof e.code === "string") {
    // Node socket errors, and Postgres classes 08 (connection), 57P (shutdown), 53 (resources).
    if (/^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)/.test(e.code)) return true;
    if (/^(08|57P|53)/.test(e.code)) return true;
  }
  if (e.name && /^Kafka(JSNumberOfRetriesExceeded|JSConnectionError|JSRequestTimeoutError|JSConnectionClosedError)/.test(e.name)) return true;
  return /Connection terminated|connection closed|not queryable|Client has encountered a connection error|Connection error: connect E|broker.*(not|no longer) available/i.test(e.message ?? "");
}

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code ? `${error.message} (${code})` : error.message || error.name;
  }
  return String(error);
}
