// The provisioner waits for Metabase for the whole METABASE_TIMEOUT_SECONDS, not a poll
// interval less, and says the configured value when it gives up.

import { describe, expect, it } from "vitest";
import { MetabaseClient } from "../../metabase/client.ts";
import { ProvisionError } from "../../metabase/errors.ts";
import { waitForHealthy } from "../../metabase/session.ts";
import { captureLog } from "../../metabase/testing/capture-log.ts";
import { MetabaseApiDouble } from "../../metabase/testing/metabase-api-double.ts";

describe("waiting for Metabase to be healthy", () => {
  it("gives up on a refused connection after the timeout, not a poll interval earlier", async () => {
    const double = new MetabaseApiDouble();
    const url = await double.start();
    await double.stop(); // nothing listens there any more: every attempt is refused at once
    const client = new MetabaseClient(url, captureLog().log, { retryWindowMs: 0, retryDelayMs: 10 });
    const timeoutMs = 1_200;
    const pollMs = 500; // attempts at 0, 500 and 1000 ms; the pause after that ends at 1200 ms
    const started = performance.now();
    const failure = await waitForHealthy(client, timeoutMs, pollMs, captureLog().log).catch((error: unknown) => error);
    const elapsedMs = performance.now() - started;
    expect(failure).toBeInstanceOf(ProvisionError);
    expect((failure as Error).message).toMatch(/not ready after 1 s \(METABASE_TIMEOUT_SECONDS=1\)/);
    expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs);
    expect(elapsedMs).toBeLessThan(timeoutMs + 300);
  });
});
