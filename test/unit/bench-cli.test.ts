// `npm run bench` refuses what it cannot use before it starts or measures anything: exit 2
// naming the flag and what is allowed, usage on --help, never a stack trace.

import { describe, expect, it } from "vitest";
import { runTool } from "../helpers/run-tool.ts";

const bench = (args: string[]) => runTool("scripts/bench.ts", args, { timeoutMs: 60_000 });

describe("npm run bench", () => {
  it("prints its options on --help and exits 0", async () => {
    const result = await bench(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--floor-runs N/);
  });

  it("exits 2 naming an unknown flag, with the usage and no stack trace", async () => {
    const result = await bench(["--nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--nope'[\s\S]*usage: npm run bench/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 naming --leads when it is not a whole number above 0", async () => {
    const result = await bench(["--leads", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--leads must be a whole number above 0, got "0"/);
  });
});
