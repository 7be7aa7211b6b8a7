// Everything a test starts is stopped, even when the test fails or times out.
//
// A started resource (a child process, a private server, a Kafka topic) is registered here with
// two ways to stop it: an async one, run by a vitest hook — `onTestFinished` when registered inside
// a test (it runs after a failure or a timeout too), else `afterAll` of the file — and a
// synchronous one, run when the worker process exits with the resource still registered (a hook
// that never ran, a run cut short). Releasing a resource early unregisters it.
//
//   const stop = registerCleanup("private broker", () => stopAsync(), () => stopSync());
//   ... await stop();   // optional: stop it now

import { readEnv } from "../../config/env.ts";

// Vitest's hooks only inside a vitest worker: importing "vitest" elsewhere (scripts/bench.ts) throws.
// The VITEST variable alone is not enough: a tool a test starts (npm run bench) inherits it, so
// the worker's own global (set by vitest in every test worker) decides.
const inVitestWorker = Boolean(readEnv().VITEST) && "__vitest_worker__" in globalThis;
const vitest = inVitestWorker ? await import("vitest") : undefined;

interface Entry {
  what: string;
  stopAsync: () => Promise<unknown>;
  stopSync: () => void;
}

const live = new Set<Entry>();
let exitHookInstalled = false;

/** Registers a resource; returns a function that stops it now (once) and unregisters it. */
export function registerCleanup(what: string, stopAsync: () => Promise<unknown>, stopSync: () => void): () => Promise<void> {
  installExitHook();
  const entry: Entry = { what, stopAsync, stopSync };
  live.add(entry);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      live.delete(entry);
      await stopAsync();
    })());
  scheduleInHook(stop);
  return stop;
}

/** What is still registered (for tests of this helper). */
export function liveResources(): string[] {
  return [...live].map((entry) => entry.what);
}

function scheduleInHook(stop: () => Promise<void>): void {
  if (!vitest) return; // a script: its own finally and the exit hook stop it
  try {
    vitest.onTestFinished(async () => {
      await stop();
    });
    return;
  } catch {
    // Not inside a running test: fall back to the file's afterAll.
  }
  try {
    vitest.afterAll(async () => {
      await stop();
    });
  } catch {
    // Neither hook can be registered here: the exit hook stops it.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const entry of live) {
      try {
        entry.stopSync();
      } catch {
        // Best effort at exit: keep stopping the others.
      }
    }
    live.clear();
  });
}
