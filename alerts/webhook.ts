// `--webhook <url>`: each transition POSTed as JSON, in order, by one sender behind a bounded
// queue. The stream never waits for the webhook: `send` only enqueues. A failed POST (no
// connection, a timeout, HTTP 408, 429 or 5xx) is retried with exponential backoff
// (loadgen/retry.ts) for up to `retryMs`, then dropped with a warning; any other 4xx is dropped at
// once (the receiver refused it; resending will not help). A full queue drops its oldest entry.

import { describe, retrying } from "../loadgen/retry.ts";

export interface WebhookOptions {
  url: string;
  /** How long one transition is retried before it is dropped. */
  retryMs: number;
  maxQueued?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  requestTimeoutMs?: number;
  warn: (line: string) => void;
}

export interface WebhookStats { delivered: number; dropped: number; attempts: number }

const RETRIED_STATUSES = new Set([408, 429]);

/** Marked so loadgen/retry.ts's isTransient retries it. */
const retriable = (message: string, cause?: unknown) => Object.assign(new Error(message, { cause }), { retriable: true });

export class WebhookSender {
  readonly stats: WebhookStats = { delivered: 0, dropped: 0, attempts: 0 };
  private readonly queue: Array<Record<string, unknown>> = [];
  private sending: Promise<void> | undefined;

  constructor(private readonly options: WebhookOptions) {}

  /** Enqueues one transition; returns at once. */
  send(body: Record<string, unknown>): void {
    if (this.queue.length >= (this.options.maxQueued ?? 1000)) {
      this.queue.shift();
      this.stats.dropped += 1;
      this.options.warn(`alerts: webhook queue full (${this.options.maxQueued ?? 1000}); dropped the oldest transition`);
    }
    this.queue.push(body);
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
  }

  /** Waits until the queue is empty or `timeoutMs` has passed; true when it emptied. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.sending !== undefined && performance.now() < deadline) {
      await Promise.race([this.sending, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - performance.now())))]);
    }
    return this.sending === undefined;
  }

  private async drain(): Promise<void> {
    for (let body = this.queue.shift(); body !== undefined; body = this.queue.shift()) {
      try {
        await retrying("POST the alert to the webhook", {
          timeoutMs: this.options.retryMs,
          timeoutSetting: "--webhook-retry-seconds",
          initialDelayMs: this.options.initialDelayMs ?? 500,
          maxDelayMs: this.options.maxDelayMs ?? 10_000,
          onRetry: (_what, attempt, error, delayMs) => {
            if (attempt === 1) this.options.warn(`alerts: webhook failed (${describe(error)}); retrying with backoff from ${delayMs} ms`);
          },
        }, () => this.post(body!));
        this.stats.delivered += 1;
      } catch (error) {
        this.stats.dropped += 1;
        this.options.warn(`alerts: webhook gave up on one transition (${String(body.event)} ${String(body.rule_name)}): ${describe(error)}`);
      }
    }
  }

  private async post(body: Record<string, unknown>): Promise<void> {
    this.stats.attempts += 1;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 5_000),
      });
    } catch (error) {
      throw retriable(`the webhook could not be reached: ${describe((error as { cause?: unknown }).cause ?? error)}`, error);
    }
    await response.body?.cancel();
    if (response.ok) return;
    const message = `the webhook answered HTTP ${response.status}`;
    if (response.status >= 500 || RETRIED_STATUSES.has(response.status)) throw retriable(message);
    throw new Error(message);
  }
}
