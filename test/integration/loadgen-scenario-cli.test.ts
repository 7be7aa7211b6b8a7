import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTool, type ToolResult } from "../helpers/run-tool.ts";

// The scenario flags from the command line, stdout sink only: no services.

const dir = mkdtempSync(join(tmpdir(), "lab-scenario-cli-"));
const scenarioPath = join(dir, "overlap.yaml");
writeFileSync(scenarioPath, `name: overlap
description: Two overlapping incidents and one open to the end.
incidents:
  - { kind: duplicate_predictions, at: 60s, for: 60s, params: { copies: 2 } }
  - { kind: split_bug, at: 90s, for: 1m, params: { control_share: 0.05 } }
  - { kind: label_delay, at: 200, params: { conversion_delay_mean_ms: 60000 } }
`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fast = (...extra: string[]) => ["--mode", "fast", "--seed", "5", "--leads", "20000", "--sink", "stdout", ...extra];
const digest = (s: string) => createHash("sha256").update(s).digest("hex");

describe("a scenario run on stdout", () => {
  let first: ToolResult;
  let again: ToolResult;
  let rebatched: ToolResult;
  beforeAll(async () => {
    [first, again, rebatched] = await Promise.all([
      runTool("loadgen/main.ts", fast("--scenario", scenarioPath)),
      runTool("loadgen/main.ts", fast("--scenario", scenarioPath)),
      runTool("loadgen/main.ts", fast("--scenario", scenarioPath, "--batch-size", "7")),
    ]);
  });

  it("exits 0", () => {
    expect(first.code, first.stderr).toBe(0);
  });

  it("prints the same bytes for the same seed and scenario, however it is batched", () => {
    expect(digest(again.stdout)).toBe(digest(first.stdout));
    expect(digest(rebatched.stdout)).toBe(digest(first.stdout));
  });

  it("prints the ground truth first: one incident line each, with the table's fields on the run's clock", () => {
    const lines = first.stdout.split("\n").slice(0, 4).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.slice(0, 3)).toEqual([
      { type: "incident", run_id: "overlap@2026-01-01T00:00:00.000Z", incident_id: 1, kind: "duplicate_predictions", starts_at: "2026-01-01T00:01:00.000+00:00", ends_at: "2026-01-01T00:02:00.000+00:00", params: { copies: 2 } },
      { type: "incident", run_id: "overlap@2026-01-01T00:00:00.000Z", incident_id: 2, kind: "split_bug", starts_at: "2026-01-01T00:01:30.000+00:00", ends_at: "2026-01-01T00:02:30.000+00:00", params: { control_share: 0.05 } },
      { type: "incident", run_id: "overlap@2026-01-01T00:00:00.000Z", incident_id: 3, kind: "label_delay", starts_at: "2026-01-01T00:03:20.000+00:00", ends_at: null, params: { conversion_delay_mean_ms: 60000 } },
    ]);
    expect(lines[3]?.type).toBe("lead");
    expect(first.stdout.split('"type":"incident"')).toHaveLength(4);
  });

  it("differs from the same seed without the scenario only from the first incident on", async () => {
    const plain = await runTool("loadgen/main.ts", fast());
    const withoutIncidents = first.stdout.split("\n").filter((l) => !l.startsWith('{"type":"incident"'));
    const plainLines = plain.stdout.split("\n");
    const firstDifference = withoutIncidents.findIndex((line, i) => line !== plainLines[i]);
    // The first change is the second copy of the prediction of the first lead created at 1:00 or later.
    const firstLeadInside = plainLines.findIndex((line) => line.startsWith('{"type":"lead"') && Date.parse((JSON.parse(line) as { created_at: string }).created_at) >= Date.UTC(2026, 0, 1, 0, 1));
    expect(firstLeadInside).toBeGreaterThan(0);
    expect(firstDifference).toBe(firstLeadInside + 2);
    expect(withoutIncidents[firstDifference]).toBe(plainLines[firstLeadInside + 1]);
  });
});

describe("the scenario flags", () => {
  it("--list-scenarios prints every built-in, a line each, and exits 0", async () => {
    const listed = await runTool("loadgen/main.ts", ["--list-scenarios"]);
    expect(listed.code, listed.stderr).toBe(0);
    const names = listed.stdout.trimEnd().split("\n").map((line) => line.split(/\s+/)[0]);
    expect(names).toContain("steady");
    expect(names).toContain("tour");
    expect(names).toContain("model-decay");
    expect(names).toHaveLength(11);
  });

  it("a bad scenario file exits 2 naming the file, the incident and the field", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "name: bad\nincidents:\n  - { kind: split_bug, at: soon, params: { control_share: 0.1 } }\n");
    const run = await runTool("loadgen/main.ts", fast("--scenario", bad));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`scenario ${bad}: incident 1 (split_bug) at = "soon"`);
    expect(run.stdout).toBe("");
  });

  it("LOADGEN_SCENARIO with an incident after the run's end exits 2", async () => {
    const run = await runTool("loadgen/main.ts", ["--mode", "fast", "--leads", "1000", "--sink", "stdout"], { env: { LOADGEN_SCENARIO: "model-decay" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/scenario model-decay: incident 1 \(model_decay\) at = 360.*before the run's end at 12\.5 s/);
  });

  it("--profile aispy with a scenario that has incidents exits 2 with the reason", async () => {
    const run = await runTool("loadgen/main.ts", fast("--profile", "aispy", "--scenario", "tour"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--profile = "aispy".*default with scenario tour/);
  });
});
