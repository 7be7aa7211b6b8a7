import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { builtInScenarios, labConfig, scenarioFor } from "../../config/lab.ts";
import { configError } from "../helpers/config-error.ts";

const GENERATOR_WITH_SCENARIOS = { scenario: ["--scenario", "LOADGEN_SCENARIO", "steady", z.string(), ""] };

describe("the lab's scenario", () => {
  it("is none when the generator has no scenarios, and asking for one names the flag", () => {
    expect(scenarioFor(undefined, {}, [])).toBeUndefined();
    expect(configError(() => scenarioFor("tour", {}, [])).field).toBe("--scenario");
  });

  it("defaults to `tour` once it is built in, and to the generator's own default while it is not", () => {
    expect(scenarioFor(undefined, GENERATOR_WITH_SCENARIOS, ["steady", "tour"])).toBe("tour");
    expect(scenarioFor(undefined, GENERATOR_WITH_SCENARIOS, ["steady"])).toBeUndefined();
  });

  it("passes a built-in name or a YAML file, and refuses an unknown name listing the built-in ones", () => {
    expect(scenarioFor("steady", GENERATOR_WITH_SCENARIOS, ["steady", "tour"])).toBe("steady");
    expect(scenarioFor("my-incidents.yaml", GENERATOR_WITH_SCENARIOS, ["steady"])).toBe("my-incidents.yaml");
    const error = configError(() => scenarioFor("chaos", GENERATOR_WITH_SCENARIOS, ["steady", "tour"]));
    expect(error.field).toBe("--scenario");
    expect(error.allowed).toContain("steady, tour");
  });

  it("finds the built-in scenarios as YAML files in loadgen/scenarios, and none without that folder", () => {
    const repo = mkdtempSync(join(tmpdir(), "lab-config-"));
    expect(builtInScenarios(repo)).toEqual([]);
    mkdirSync(join(repo, "loadgen", "scenarios"), { recursive: true });
    for (const name of ["tour.yaml", "steady.yml", "README.md"]) writeFileSync(join(repo, "loadgen", "scenarios", name), "");
    expect(builtInScenarios(repo)).toEqual(["steady", "tour"]);
    rmSync(repo, { recursive: true });
  });
});

describe("the lab's configuration", () => {
  it("keeps its logs in the services' state folder, <repo>/.lab unless LAB_STATE_DIR says otherwise", () => {
    expect(labConfig({}, {}, "/repo").logDir).toBe("/repo/.lab/logs");
    expect(labConfig({}, { LAB_STATE_DIR: "/state/x" }, "/repo").logDir).toBe("/state/x/logs");
  });

  it("refuses a lab_loadgen password that cannot go into a URL, naming the variable", () => {
    expect(configError(() => labConfig({}, { LOADGEN_PG_PASSWORD: "a b" }, "/repo")).field).toBe("LOADGEN_PG_PASSWORD");
  });

  it("takes the lab_bridge password from BRIDGE_PG_PASSWORD (local default `bridge`), refusing one that cannot go into a URL", () => {
    expect(labConfig({}, {}, "/repo").bridgePgPassword).toBe("bridge");
    expect(labConfig({}, { BRIDGE_PG_PASSWORD: "s3cret" }, "/repo").bridgePgPassword).toBe("s3cret");
    expect(configError(() => labConfig({}, { BRIDGE_PG_PASSWORD: "a/b" }, "/repo")).field).toBe("BRIDGE_PG_PASSWORD");
  });
});
