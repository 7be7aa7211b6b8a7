// Errors the provisioner reports. Each message says what failed and what to do about it; main.ts
// prints the message and exits non-zero (2 for configuration, 3 when only the smoke check failed,
// 1 otherwise).

/** A failure with a user-facing explanation (wrong password, Metabase not ready, Materialize down...). */
export class ProvisionError extends Error {
  override name = "ProvisionError";
}

/** Metabase answered with a non-2xx status. `serverMessage` is Metabase's own explanation, if any. */
export class MetabaseHttpError extends Error {
  override name = "MetabaseHttpError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${serverMessage(body)}`);
  }
  get serverMessage(): string {
    return serverMessage(this.body);
  }
}

/** No answer at all (refused, reset, timed out) after the client's retry window. */
export class MetabaseUnreachableError extends Error {
  override name = "MetabaseUnreachableError";
  constructor(
    readonly method: string,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${method} ${url}: no answer (${reason})`);
  }
}

/** A request body that does not match the instance's OpenAPI document; it was not sent. */
export class PayloadRejectedError extends Error {
  override name = "PayloadRejectedError";
  constructor(
    readonly operation: string,
    readonly problems: readonly string[],
  ) {
    super(`refused to send ${operation}: the body does not match Metabase's OpenAPI schema:\n  ${problems.join("\n  ")}`);
  }
}

/** Metabase's explanation from an error body: `message`, else `errors`, else the text itself. */
export function serverMessage(body: unknown): string {
  if (typeof body === "string") return body.slice(0, 500) || "(empty body)";
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    if (typeof b.message === "string") return b.message;
    if (b.errors && typeof b.errors === "object") {
      return Object.entries(b.errors as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join("; ");
    }
    return JSON.stringify(body).slice(0, 500);
  }
  return String(body);
}
