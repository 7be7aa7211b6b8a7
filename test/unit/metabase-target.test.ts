// Where the Metabase test tells Metabase's server to find Materialize. host.docker.internal exists
// on Docker Desktop only; plain Docker on Linux (a GitHub Actions runner) has no such name.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { materializeAsMetabaseSeesIt } from "../materialize/support/metabase-target.ts";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("Materialize's address as Metabase's server sees it", () => {
  it("uses LAB_METABASE_MZ_HOST and LAB_METABASE_MZ_PORT when given (the compose stack)", () => {
    expect(materializeAsMetabaseSeesIt("postgres://materialize@127.0.0.1:16875/materialize", { host: "materialize", port: "6875" }))
      .toEqual({ host: "materialize", port: "6875" });
  });

  it("uses the SQL URL's own host and port when that host is not a loopback address", () => {
    expect(materializeAsMetabaseSeesIt("postgres://materialize@mz.internal:6875/materialize", {}))
      .toEqual({ host: "mz.internal", port: "6875" });
  });

  it("refuses a loopback URL without an override, naming the variable to set, instead of guessing host.docker.internal", () => {
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
      const target = materializeAsMetabaseSeesIt(`postgres://materialize@${host}:6875/materialize`, {});
      expect(target).toEqual({ reason: expect.stringContaining("LAB_METABASE_MZ_HOST") });
    }
  });
});

describe("the Metabase test's containers", () => {
  const pair = read("../materialize/support/metabase-pair.ts");
  const test = read("../materialize/metabase-provision.test.ts");

  it("share one testcontainers network, Materialize under the alias Metabase dials", () => {
    expect(pair).toContain("await new Network().start()");
    expect(pair).toMatch(/materializeContainer\(\)\.withNetwork\(network\)\.withNetworkAliases\(MATERIALIZE_ALIAS\)/);
    expect(pair).toMatch(/metabaseContainer\(\)\.withNetwork\(network\)/);
    expect(pair).toMatch(/target: \{ host: MATERIALIZE_ALIAS, port: "6875" \}/);
  });

  it("never name host.docker.internal as an address", () => {
    const code = (text: string) => text.split("\n").filter((line) => !line.trim().startsWith("//")).join("\n");
    expect(code(pair)).not.toContain("host.docker.internal");
    expect(code(test)).not.toContain("host.docker.internal");
  });
});
