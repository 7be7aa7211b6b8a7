import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { builtInScenarios, checkScenarioForRun, loadScenario, scenarioForRun, timelineOf } from "../../loadgen/scenarios/load.ts";
import { INCIDENT_KINDS } from "../../loadgen/sim/scenario/incidents.ts";
import { configError } from "../helpers/config-error.ts";

const dir = mkdtempSync(join(tmpdir(), "lab-scenarios-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a scenario file and returns its path. */
function scenarioFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const oneIncident = (incident: string) => `name: broken\nincidents:\n  - kind: split_bug\n    at: 10s\n    params: { control_share: 0.1 }\n${incident}`;

describe("a scenario file", () => {
  it("reads durations as seconds: 90s, 5m, 1h or a plain number", () => {
    const path = scenarioFile("durations.yaml", `name: durations
incidents:
  - { kind: score_shift, at: 90s, for: 5m, params: { logit_offset: 1 } }
  - { kind: score_shift, at: 1h, params: { logit_offset: -1 } }
  - { kind: split_bug, at: 42, for: "7", params: { control_share: 0.1 } }
`);
    const incidents = loadScenario(path).incidents;
    expect(incidents.map((i) => [i.incidentId, i.atSeconds, i.forSeconds])).toEqual([[1, 90, 300], [2, 3600, undefined], [3, 42, 7]]);
  });

  it("is placed on the run's clock: starts and ends are offsets from the run's start", () => {
    const path = scenarioFile("clock.yaml", "name: clock\nincidents:\n  - { kind: split_bug, at: 5m, for: 90s, params: { control_share: 0.1 } }\n");
    const [incident] = timelineOf(loadScenario(path), 1_000_000);
    expect([incident?.startsAtMs, incident?.endsAtMs]).toEqual([1_000_000 + 300_000, 1_000_000 + 390_000]);
  });
});

describe("a bad scenario file is refused naming the file, the incident and the field", () => {
  const cases: [string, string, RegExp][] = [
    ["an unknown kind", oneIncident("  - { kind: model_melt, at: 1m, params: {} }\n"), /incident 2 \(model_melt\) kind.*one of model_decay, score_shift/],
    ["an unknown parameter", oneIncident("  - { kind: model_decay, at: 1m, params: { model_noise: 2 } }\n"), /incident 2 \(model_decay\) params\.model_noise.*no field model_noise/],
    ["a missing parameter", oneIncident("  - { kind: model_decay, at: 1m, params: {} }\n"), /incident 2 \(model_decay\) params\.model_noise_sd.*a number in \[0, 5\]/],
    ["an out-of-range parameter", oneIncident("  - { kind: split_bug, at: 1m, params: { control_share: 1.5 } }\n"), /incident 2 \(split_bug\) params\.control_share = 1\.5.*a number in \[0, 1\]/],
    ["a fractional copy count", oneIncident("  - { kind: duplicate_predictions, at: 1m, params: { copies: 2.5 } }\n"), /incident 2 \(duplicate_predictions\) params\.copies.*an integer in \[1, 10\]/],
    ["an unknown utm_source", oneIncident("  - { kind: traffic_shift, at: 1m, params: { source_weights: { myspace: 1 } } }\n"), /incident 2 \(traffic_shift\) params\.source_weights\.myspace/],
    ["a bad start", oneIncident("  - { kind: split_bug, at: 5 minutes, params: { control_share: 0.1 } }\n"), /incident 2 \(split_bug\) at = "5 minutes".*"90s", "5m", "1h"/],
    ["a negative start", oneIncident("  - { kind: split_bug, at: -5, params: { control_share: 0.1 } }\n"), /incident 2 \(split_bug\) at = -5/],
    ["a zero length", oneIncident("  - { kind: split_bug, at: 1m, for: 0s, params: { control_share: 0.1 } }\n"), /incident 2 \(split_bug\) for.*a duration > 0/],
    ["an unknown incident field", oneIncident("  - { kind: split_bug, at: 1m, until: 2m, params: { control_share: 0.1 } }\n"), /incident 2 \(split_bug\) until/],
    ["an unknown top-level field", "name: x\nincident: []\n", /scenario .*: incident.*no field incident/],
    ["a name with spaces", "name: my scenario\n", /scenario .*: name = "my scenario"/],
    ["a document that is not YAML", "name: [unclosed\n", /scenario file .*valid YAML/],
  ];
  it.each(cases)("%s", (_what, text, expected) => {
    const path = scenarioFile("bad.yaml", text);
    const error = configError(() => loadScenario(path));
    expect(error.message).toMatch(expected);
    expect(error.message).toContain(path);
  });

  it("a file that does not exist", () => {
    expect(configError(() => loadScenario(join(dir, "absent.yaml"))).message).toMatch(/absent\.yaml.*a readable YAML file \(ENOENT\)/);
  });

  it("a built-in name that does not exist lists the built-ins", () => {
    expect(configError(() => loadScenario("modle-decay")).message).toMatch(/--scenario = "modle-decay".*model-decay.*tour/);
  });

  it("an incident starting after the run's end (fast mode: leads / rate seconds)", () => {
    const path = scenarioFile("late.yaml", oneIncident("  - { kind: model_decay, at: 2m, params: { model_noise_sd: 2 } }\n"));
    const config = { scenario: path, profile: "default", mode: "fast", leads: 8_000, rate: 80, durationSeconds: undefined };
    expect(configError(() => scenarioForRun(config)).message).toMatch(/incident 2 \(model_decay\) at = 120.*before the run's end at 100 s/);
    expect(scenarioForRun({ ...config, leads: 9_700 }).incidents).toHaveLength(2);
  });

  it("an incident starting after a live run's --duration-seconds", () => {
    const path = scenarioFile("late-live.yaml", oneIncident(""));
    const config = { scenario: path, profile: "default", mode: "live", leads: undefined, rate: 80, durationSeconds: 10 };
    expect(configError(() => scenarioForRun(config)).message).toMatch(/incident 1 \(split_bug\) at = 10.*run's end at 10 s/);
    expect(scenarioForRun({ ...config, durationSeconds: undefined }).incidents).toHaveLength(1); // runs until stopped
  });

  it("incidents with the aispy profile, which stays the seed's generator", () => {
    const error = configError(() => checkScenarioForRun(loadScenario("split-bug"), { profile: "aispy", runSeconds: undefined }));
    expect(error.message).toMatch(/--profile = "aispy".*default with scenario split-bug.*--scenario steady/);
    expect(() => checkScenarioForRun(loadScenario("steady"), { profile: "aispy", runSeconds: undefined })).not.toThrow();
  });
});

describe("the built-in scenarios", () => {
  const builtIns = builtInScenarios();

  it("are steady, tour and one per incident kind, each with a one-line description", () => {
    const perKind = INCIDENT_KINDS.map((kind) => kind.replaceAll("_", "-"));
    expect(builtIns.map((s) => s.name).sort()).toEqual([...perKind, "steady", "tour"].sort());
    for (const { description } of builtIns) expect(description).toMatch(/^[A-Z].{20,150}\.$/);
    expect(loadScenario("steady").incidents).toEqual([]);
  });

  it("carry the spec's parameters, one incident of their kind each", () => {
    const expected: Record<string, unknown> = {
      model_decay: { model_noise_sd: 2.5 }, score_shift: { logit_offset: 1 }, traffic_shift: { source_weights: { tiktok: 0.6 } },
      concept_drift: { base_logit_delta: -1 }, coupon_fatigue: { coupon_uplift_share: 0 }, split_bug: { control_share: 0.05 },
      prediction_outage: { drop_share: 1 }, duplicate_predictions: { copies: 3 }, label_delay: { conversion_delay_mean_ms: 60_000 },
    };
    for (const kind of INCIDENT_KINDS) {
      const { incidents } = loadScenario(kind.replaceAll("_", "-"));
      expect(incidents.map((i) => [i.kind, i.params])).toEqual([[kind, expected[kind]]]);
    }
    expect(loadScenario("prediction-outage").incidents[0]?.forSeconds).toBe(60);
  });

  it("include a tour of several incidents in sequence, quiet time between, about 30 minutes", () => {
    const { incidents } = loadScenario("tour");
    expect(incidents.length).toBeGreaterThanOrEqual(4);
    incidents.forEach((incident, i) => {
      expect(incident.forSeconds).toBeDefined();
      if (i > 0) expect(incident.atSeconds).toBeGreaterThan(incidents[i - 1]!.atSeconds + incidents[i - 1]!.forSeconds!);
    });
    expect(incidents[0]!.atSeconds).toBeGreaterThan(0);
    const last = incidents.at(-1)!;
    expect((last.atSeconds + last.forSeconds!) / 60).toBeGreaterThanOrEqual(25);
    expect((last.atSeconds + last.forSeconds!) / 60).toBeLessThanOrEqual(35);
  });
});
