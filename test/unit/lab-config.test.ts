import { z } from "zod";
import { describe, expect, it } from "vitest";
import { labConfig, scenarioFor } from "../../config/lab.ts";
import { configError } from "../helpers/config-error.ts";

const withScenarios = (names: [string, ...string[]]) => ({ scenario: ["--scenario", "LOADGEN_SCENARIO", "", z.enum(names, { message: names.join(", ") }).optional(), ""] });

describe("the lab's scenario", () => {
  it("is none when the generator has no scenarios, and asking for one names the flag", () => {
    expect(scenarioFor(undefined, {})).toBeUndefined();
    expect(configError(() => scenarioFor("tour", {})).field).toBe("--scenario");
  });

  it("defaults to `tour` once the generator knows it, and to none while it does not", () => {
    expect(scenarioFor(undefined, withScenarios(["steady", "tour"]))).toBe("tour");
    expect(scenarioFor(undefined, withScenarios(["steady"]))).toBeUndefined();
  });

  it("passes a scenario the generator knows, and refuses one it does not with the generator's list", () => {
    expect(scenarioFor("steady", withScenarios(["steady", "tour"]))).toBe("steady");
    const error = configError(() => scenarioFor("chaos", withScenarios(["steady", "tour"])));
    expect(error.message).toContain("steady, tour");
  });
});

describe("the lab's configuration", () => {
  it("keeps its logs in the services' state folder, <repo>/.lab unless LAB_STATE_DIR says otherwise", () => {
    expect(labConfig({}, {}, "/repo").logDir).toBe("/repo/.lab/logs");
    expect(labConfig({}, { LAB_STATE_DIR: "/tmp/x" }, "/repo").logDir).toBe("/tmp/x/logs");
  });

  it("refuses a lab_loadgen password that cannot go into a URL, naming the variable", () => {
    expect(configError(() => labConfig({}, { LOADGEN_PG_PASSWORD: "a b" }, "/repo")).field).toBe("LOADGEN_PG_PASSWORD");
  });
});
