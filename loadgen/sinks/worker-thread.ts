// A sink's client on a thread of its own, for the Kafka producer (kafka-thread.ts) and the
// Postgres writer (postgres-thread.ts). Their CPU then overlaps the simulation's instead of
// taking turns with it, and their replies are read at once rather than when the simulation
// next lets the main thread's event loop turn.
//
// The protocol is requests and answers: the main thread asks (`ask`), the thread does it and
// answers done or failed, the failure marked transient or not. No retrying on the thread: the
// main thread's `retrying` decides (backoff, logging and the configured timeout in one place).

import { parentPort, Worker, workerData } from "node:worker_threads";
import { describe } from "../retry.ts";

/** What a thread may send besides answers: a warning for the main thread's log. */
export interface ThreadWarning {
  kind: "warn";
  message: string;
  detail: Record<string, unknown>;
}

/** A message that does not wait its turn: handled by the thread as it arrives, never answered. */
interface Signal<S> {
  kind: "signal";
  signal: S;
}

type Reply =
  | { kind: "done"; id: number }
  | { kind: "failed"; id: number; error: { name: string; message: string; transient: boolean } }
  | ThreadWarning;

export interface ThreadClient<Request> {
  /**
   * Resolves when the thread has done the request; rejects with its error (`retriable` set when
   * transient). Buffers in `transfer` move to the thread: the caller must not use them again.
   */
  ask(request: Request, transfer?: readonly ArrayBuffer[]): Promise<void>;
  /** Tells the thread something at once, ahead of the requests still waiting (see serveRequests). */
  signal(signal: unknown): void;
  stop(): Promise<void>;
}

/** Starts `entry` (a TypeScript module calling `serveRequests`) with `data` as its workerData. */
export function startThread<Request extends object>(
  entry: URL,
  data: unknown,
  warn?: (message: string, detail: Record<string, unknown>) => void,
): ThreadClient<Request> {
  const worker = startTypeScriptWorker(entry, data);
  const waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let nextId = 1;
  let gone: Error | undefined;
  const failAll = (error: Error) => {
    gone ??= error;
    for (const { reject } of waiting.values()) reject(gone);
    waiting.clear();
  };
  const name = entry.pathname.split("/").pop();
  worker.on("message", (reply: Reply) => {
    if (reply.kind === "warn") return warn?.(reply.message, reply.detail);
    const request = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.kind === "done") request?.resolve();
    // `retriable` carries the thread's judgement to isTransient (retry.ts).
    else request?.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, retriable: reply.error.transient }));
  });
  worker.on("error", (error) => failAll(new Error(`the thread ${name} failed: ${error.message}`)));
  worker.on("exit", (code) => failAll(new Error(`the thread ${name} exited (${code})`)));
  return {
    ask(request, transfer) {
      if (gone) return Promise.reject(gone);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...request, id }, transfer);
      });
    },
    signal(signal) {
      if (!gone) worker.postMessage({ kind: "signal", signal } satisfies Signal<unknown>);
    },
    async stop() {
      await worker.terminate();
    },
  };
}

/**
 * The thread's side: answers each request with done or failed. Requests are handled in the
 * order they arrive, one after another (a sink's batches must be written in order); a signal
 * goes to `onSignal` as soon as it arrives, even while a request waits for it.
 */
export function serveRequests<Request extends object, S = never>(
  handle: (request: Request) => Promise<void>,
  judge: { isTransient(error: unknown): boolean; describe?(error: unknown): string },
  onSignal?: (signal: S) => void,
): void {
  const port = parentPort!;
  let previous = Promise.resolve();
  port.on("message", (message: (Request & { id: number }) | Signal<S>) => {
    if ("kind" in message && message.kind === "signal") return onSignal?.(message.signal);
    const request = message as Request & { id: number };
    previous = previous.then(() => handle(request)).then(
      () => port.postMessage({ kind: "done", id: request.id } satisfies Reply),
      (error: unknown) => port.postMessage({
        kind: "failed",
        id: request.id,
        error: { name: error instanceof Error ? error.name : "Error", message: (judge.describe ?? describe)(error), transient: judge.isTransient(error) },
      } satisfies Reply),
    );
  });
}

/** Sends a warning to the main thread's log (details reduced to what can cross threads). */
export function warnMainThread(message: string, detail: Record<string, unknown>): void {
  parentPort!.postMessage({ kind: "warn", message, detail: cloneable(detail) } satisfies ThreadWarning);
}

/** The thread's workerData, as the main thread passed it to startThread. */
export const threadData = <T>(): T => workerData as T;

/** Log details can hold what a thread cannot pass on (functions, sockets): keep the JSON of them. */
function cloneable(detail: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(detail)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * A worker thread running a TypeScript module. Node does not apply the `--import tsx` hooks to
 * a worker's entry file, so a one-line bootstrap registers tsx in the thread, then imports it.
 */
function startTypeScriptWorker(entry: URL, data: unknown): Worker {
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
