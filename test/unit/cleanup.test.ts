// The cleanup registry stops what a test registered when that test finishes, whatever its
// outcome: inside a vitest worker it must find vitest's hooks (a tool a test starts inherits
// the VITEST variable but is no worker, and must not try to).

import { describe, expect, it } from "vitest";
import { liveResources, registerCleanup } from "../helpers/cleanup.ts";

describe("the cleanup registry inside a vitest worker", () => {
  let stoppedByHook = false;

  it("keeps a resource registered while its test runs", () => {
    registerCleanup("resource of the first test", async () => {
      stoppedByHook = true;
    }, () => {});
    expect(liveResources()).toContain("resource of the first test");
  });

  it("has stopped it once that test finished, through vitest's onTestFinished", () => {
    expect(stoppedByHook).toBe(true);
    expect(liveResources()).not.toContain("resource of the first test");
  });
});
