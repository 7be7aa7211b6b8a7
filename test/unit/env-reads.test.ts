import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const sourceDirs = ["config", "loadgen", "scripts", "metabase", "test", "bridge", "watch", "alerts"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : tsFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("reading the environment", () => {
  it("happens only in config/env.ts", () => {
    const readers = sourceDirs
      .flatMap((d) => tsFiles(join(root, d)))
      .filter((file) => /process\.env\b/.test(readFileSync(file, "utf8").replace(/\/\/.*$/gm, "")))
      .map((file) => relative(root, file))
      .filter((file) => file !== join("config", "env.ts") && file !== join("test", "unit", "env-reads.test.ts"));
    expect(readers).toEqual([]);
  });

  it("never uses Math.random or the wall clock inside the simulation core", () => {
    const offenders = tsFiles(join(root, "loadgen", "sim")).filter((file) => {
      const code = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
      return /Math\.random|Date\.now|performance\.now|new Date\(\s*\)/.test(code);
    });
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });
});
