// Every variable a user can set is documented in .env.example: those docker-compose.yml
// interpolates and those the tools read. The tools read env only as `env.NAME` in config/*.ts
// (docs/CONVENTIONS.md), which is what makes the second list collectable; test-only LAB_* are not
// user knobs.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");

const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1] ?? "");

/** Names set in .env.example, commented out (`# NAME=`) or not. */
const documented = new Set(matches(read(".env.example"), /^#?\s*([A-Z][A-Z0-9_]*)=/gm));

const toolVariables = [...new Set(
  readdirSync(join(root, "config"))
    .filter((name) => name.endsWith(".ts"))
    .flatMap((name) => matches(read(join("config", name)), /\benv\.([A-Z][A-Z0-9_]+)/g))
    .filter((name) => !name.startsWith("LAB_")),
)].sort();

/** `${NAME}`, `${NAME:-x}`, `${NAME-x}`, `${NAME:?x}`…; `$${` is Compose's escape for a literal `$`. */
const composeText = read("docker-compose.yml").replace(/^\s*#.*$/gm, ""); // comments may say `${VAR}`
const composeVariables = [...new Set(matches(composeText, /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g))].sort();

describe(".env.example", () => {
  it("finds the variables to check (the collectors still match the code)", () => {
    expect(toolVariables).toContain("LOADGEN_RATE");
    expect(toolVariables).toContain("METABASE_ADMIN_PASSWORD");
    expect(composeVariables).toContain("POSTGRES_IMAGE");
  });

  it("documents every variable docker-compose.yml interpolates", () => {
    expect(composeVariables.filter((name) => !documented.has(name))).toEqual([]);
  });

  it("documents every variable the tools read (config/*.ts)", () => {
    expect(toolVariables.filter((name) => !documented.has(name))).toEqual([]);
  });

  it("gives docker-compose.yml a default for every variable, so no .env is needed", () => {
    const withoutDefault = matches(composeText, /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g);
    expect(withoutDefault).toEqual([]);
  });
});
