// Static checks of the tools' Dockerfile and .dockerignore (no Docker needed).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { images } from "../helpers/images.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
const instructions = dockerfile.split("\n").filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
const dockerignore = readFileSync(join(root, ".dockerignore"), "utf8").split("\n").map((line) => line.trim());

describe("the tools' Dockerfile", () => {
  it("defaults NODE_IMAGE to the tag in images.env", () => {
    expect(/^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1]).toBe(images.node);
  });

  it("builds in two stages, both from NODE_IMAGE", () => {
    const froms = instructions.filter((line) => line.startsWith("FROM "));
    expect(froms).toEqual(["FROM ${NODE_IMAGE} AS deps", "FROM ${NODE_IMAGE} AS runtime"]);
  });

  it("installs production dependencies only, from the lockfile", () => {
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
  });

  it("runs the tools as the unprivileged node user", () => {
    const users = instructions.filter((line) => line.startsWith("USER "));
    expect(users.at(-1)).toBe("USER node");
  });

  it("copies only the folders the tools read, and each of them exists", () => {
    const copied = [...new Set(instructions
      .filter((line) => line.startsWith("COPY ") && !line.includes("--from="))
      .flatMap((line) => line.split(/\s+/).slice(1, -1)))];
    expect(copied.sort()).toEqual(
      ["config", "loadgen", "materialize", "metabase", "package-lock.json", "package.json", "postgres", "scripts", "tsconfig.json"],
    );
    expect(copied.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });
});

describe(".dockerignore", () => {
  it("keeps local state, dependencies and secrets out of the build context", () => {
    for (const entry of [".git", ".lab", ".env", "node_modules", "test"]) expect(dockerignore).toContain(entry);
  });
});
