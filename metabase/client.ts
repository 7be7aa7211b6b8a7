// A small typed wrapper around Metabase's REST API (global fetch).
//
// - Retries "not there yet" answers for a while (default: the first minute of each call): HTTP 502,
//   503 and 504, refused or reset connections, and timeouts. A POST is not retried after a timeout,
//   because Metabase may have done it anyway and a retry would create a duplicate.
// - Sends `X-Metabase-Session` once logged in.
// - Hands every request body to `bodyCheck` (the OpenAPI check) before sending it.
// - Throws MetabaseHttpError (any other non-2xx) or MetabaseUnreachableError (no answer in time).

import type { Logger } from "pino";
import { MetabaseHttpError, MetabaseUnreachableError } from "./errors.ts";
import { setTimeout as sleep } from "node:timers/promises";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";
export type BodyCheck = (method: HttpMethod, path: string, body: unknown) => void;

export interface RetryPolicy {
  /** How long one call keeps retrying retryable failures. */
  retryWindowMs: number;
  retryDelayMs: number;
  /** Timeout of a single attempt. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retryWindowMs: 60_000, retryDelayMs: 1_000, attemptTimeoutMs: 30_000 };

export interface RequestOptions {
  body?: unknown;
  /** Overrides the attempt timeout (e.g. for the large OpenAPI document, or a slow query). */
  attemptTimeoutMs?: number;
  /** Set to false to get one attempt only (the callers' own wait loops use this). */
  retry?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

export class MetabaseClient {
  session: string | undefined;
  bodyCheck: BodyCheck | undefined;
  readonly retry: RetryPolicy;

  constructor(
    readonly baseUrl: string,
    readonly log: Logger,
    retry: Partial<RetryPolicy> = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.ok<T>("GET", path, options)).body;
  }
  async post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return (await this.ok<T>("POST", path, { ...options, body })).body;
  }
  async put<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return (await this.ok<T>("PUT", path, { ...options, body })).body;
  }

  /** Like `request`, but a non-2xx answer throws MetabaseHttpError. */
  async ok<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await this.request<T>(method, path, options);
    if (response.status < 200 || response.status > 299) throw new MetabaseHttpError(method, path, response.status, response.body);
    return response;
  }

  /** One call, retried while the answer is "not there yet" and the retry window lasts. Any status is returned. */
  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    if (options.body !== undefined) this.bodyCheck?.(method, path, options.body);
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt<T>(method, path, options);
      const retryable = "failure" in outcome ? outcome.retryable : RETRYABLE_STATUS.has(outcome.status);
      const inWindow = options.retry !== false && performance.now() - started + this.retry.retryDelayMs <= this.retry.retryWindowMs;
      if (!retryable || !inWindow) {
        if ("failure" in outcome) throw new MetabaseUnreachableError(method, this.baseUrl + path, outcome.failure);
        return outcome;
      }
      const why = "failure" in outcome ? outcome.failure : `HTTP ${outcome.status}`;
      this.log.debug({ method, path, attempt, why }, "Metabase not answering yet; retrying");
      await sleep(this.retry.retryDelayMs);
    }
  }

  private async attempt<T>(
    method: HttpMethod,
    path: string,
    options: RequestOptions,
  ): Promise<ApiResponse<T> | { failure: string; retryable: boolean }> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (this.session) headers["x-metabase-session"] = this.session;
    try {
      const response = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.attemptTimeoutMs ?? this.retry.attemptTimeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: parseBody(text) as T };
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError" || (error as Error).name === "AbortError";
      const failure = timedOut ? "timed out" : networkReason(error);
      return { failure, retryable: !(timedOut && method === "POST") };
    }
  }
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
