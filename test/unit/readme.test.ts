import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LOADGEN_SETTINGS } from "../../config/loadgen.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  scripts: Record<string, string>;
};

describe("the README", () => {
  it("opens with the two set-up commands: the lab and the tests", () => {
    const top = readme.slice(0, 1500);
    expect(top).toContain("docker compose up");
    expect(top).toContain("npm ci && npm test");
  });

  it("lists every load generator flag and environment variable", () => {
    for (const [flag, envName] of Object.values(LOADGEN_SETTINGS)) {
      expect(readme, flag).toContain(`\`${flag}\``);
      expect(readme, envName).toContain(`\`${envName}\``);
    }
  });

  it("only names npm scripts that exist", () => {
    const named = [...readme.matchAll(/npm run (?:--silent )?([a-z:-]+)/g)].map((m) => m[1] ?? "");
    const alsoShort = [...readme.matchAll(/`(test:[a-z]+)`/g)].map((m) => m[1] ?? "");
    for (const script of [...named, ...alsoShort]) expect(Object.keys(packageJson.scripts), script).toContain(script);
  });

  it("gives the exact stdout command line the generator promises", () => {
    expect(readme).toContain("npm run --silent loadgen -- --mode fast --profile aispy --seed 7 --leads 50000 --sink stdout");
  });
});
