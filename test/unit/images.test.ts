import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IMAGES_ENV_PATH, images, imagesFrom, parseEnvFile } from "../helpers/images.ts";

describe("the images.env parser", () => {
  it("reads KEY=VALUE lines and skips comments and blank lines", () => {
    const vars = parseEnvFile("# pinned tags\n\nPOSTGRES_IMAGE=postgres:17.6\n  NODE_IMAGE = node:24-slim  \n");
    expect([...vars]).toEqual([
      ["POSTGRES_IMAGE", "postgres:17.6"],
      ["NODE_IMAGE", "node:24-slim"],
    ]);
  });

  it("removes surrounding quotes and trailing comments", () => {
    const vars = parseEnvFile(`A="quoted:1"\nB='single:2'\nC=plain:3 # why this tag\n`);
    expect(Object.fromEntries(vars)).toEqual({ A: "quoted:1", B: "single:2", C: "plain:3" });
  });

  it("names the file and line of a malformed line", () => {
    expect(() => parseEnvFile("A=1\nnot a pair\n", "images.env")).toThrow(/images.env:2: expected KEY=VALUE/);
  });

  it("names a missing image key", () => {
    expect(() => imagesFrom(new Map([["POSTGRES_IMAGE", "postgres:17"]]))).toThrow("images.env has no REDPANDA_IMAGE");
  });
});

describe("the pinned images", () => {
  it("are the tags written in the repo's images.env", () => {
    const text = readFileSync(IMAGES_ENV_PATH, "utf8");
    const tagOf = (key: string) => new RegExp(`^${key}=(.+)$`, "m").exec(text)?.[1]?.trim();
    expect(images).toEqual({
      postgres: tagOf("POSTGRES_IMAGE"),
      redpanda: tagOf("REDPANDA_IMAGE"),
      materialize: tagOf("MATERIALIZE_IMAGE"),
      metabase: tagOf("METABASE_IMAGE"),
      node: tagOf("NODE_IMAGE"),
    });
  });

  it("are all pinned to a tag, never latest", () => {
    for (const image of Object.values(images)) {
      expect(image).toMatch(/:[\w.-]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it("pin Redpanda to a broker release whose upstream notes images.env names", () => {
    // The Helm chart and the operator carry their own version numbers (chart v26.2.7 is not a
    // broker): the comment must name the broker release notes page and the exact version pinned.
    const text = readFileSync(IMAGES_ENV_PATH, "utf8");
    const version = /:(v\d+\.\d+\.\d+)$/.exec(images.redpanda)?.[1] ?? "(no version in tag)";
    const comment = /^#\s+redpanda\s[\s\S]*?(?=^#\s+materialize\s)/m.exec(text)?.[0] ?? "";
    expect(comment, "images.env's comment on the Redpanda tag").toContain(version);
    expect(comment).toMatch(/https:\/\/docs\.redpanda\.com\/\S+\/reference\/releases\/redpanda\//);
  });
});
