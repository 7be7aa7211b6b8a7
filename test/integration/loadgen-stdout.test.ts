import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/run-tool.ts";
import { readEnv } from "../../config/env.ts";

// The exact command line the README promises; it needs no services at all.
const command = "npm run --silent loadgen -- --mode fast --profile aispy --seed 7 --leads 50000 --sink stdout";

function runCommand(extraArgs = "") {
  const result = spawnSync("bash", ["-c", `${command} ${extraArgs}`], {
    cwd: repoRoot, env: { ...readEnv(), LOG_LEVEL: "info" }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024,
  });
  return result;
}

describe("the stdout sink from the command line", () => {
  const first = runCommand();

  it("exits 0 and prints only JSON event lines on stdout", () => {
    expect(first.status, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split("\n");
    const types = new Map<string, number>();
    for (const line of lines) {
      const event = JSON.parse(line) as { type: string };
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
    }
    expect([...types.keys()].sort()).toEqual(["conversion", "coupon", "lead", "prediction"]);
    expect(types.get("lead")).toBe(50_000);
    expect(types.get("prediction")).toBe(50_000);
  });

  it("sends its logs to stderr", () => {
    expect(first.stderr).toContain("effective configuration");
  });

  it("prints byte-for-byte the same output for the same seed, however it is batched", () => {
    const digest = (s: string) => createHash("sha256").update(s).digest("hex");
    expect(digest(runCommand().stdout)).toBe(digest(first.stdout));
    expect(digest(runCommand("--batch-size 7").stdout)).toBe(digest(first.stdout));
  });

  it("prints the events in time order", () => {
    const times = first.stdout.trimEnd().split("\n").map((line) => {
      const e = JSON.parse(line) as { type: string; created_at?: string; converted_at?: string };
      return e.type === "lead" ? Date.parse(e.created_at ?? "") : e.type === "conversion" ? Date.parse(e.converted_at ?? "") : undefined;
    }).filter((t): t is number => t !== undefined);
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0))).toBe(true);
  });
});
