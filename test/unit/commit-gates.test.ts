import { describe, expect, it } from "vitest";
import { CommitGates, GateRefusedError } from "../../loadgen/sinks/commit-gates.ts";

/** "open", "refused" or "waiting", a few turns of the event loop after asking. */
async function stateOf(passed: Promise<void>): Promise<string> {
  const state = passed.then(() => "open", (error: unknown) => (error instanceof GateRefusedError ? "refused" : String(error)));
  return Promise.race([state, new Promise<string>((resolve) => setTimeout(() => resolve("waiting"), 10))]);
}

describe("commit gates", () => {
  it("let a batch through once its gate or a later one has opened, and not before", async () => {
    const gates = new CommitGates();
    const second = gates.passed(2);
    expect(await stateOf(second)).toBe("waiting");
    gates.open(1);
    expect(await stateOf(second)).toBe("waiting");
    gates.open(2);
    expect(await stateOf(second)).toBe("open");
    // Asked after it opened (a retried write): through at once.
    expect(await stateOf(gates.passed(1))).toBe("open");
    expect(await stateOf(gates.passed(3))).toBe("waiting");
  });

  it("refuse a gate and every later one once it is refused, naming the batch", async () => {
    const gates = new CommitGates();
    gates.open(1);
    const [second, third] = [gates.passed(2), gates.passed(3)];
    gates.refuse(2);
    expect(await stateOf(second)).toBe("refused");
    expect(await stateOf(third)).toBe("refused");
    expect(await stateOf(gates.passed(1))).toBe("open");
    await expect(gates.passed(4)).rejects.toThrow("batch 4 was not committed: the sink before Postgres (Kafka) did not take it");
  });
});
