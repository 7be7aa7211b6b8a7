import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const repoFile = (path: string) => new URL(`../../${path}`, import.meta.url);

describe("what the lab starts lives with the lab", () => {
  it("start-kafka.sh fetches its jars from the list beside it in scripts/services/kafka", () => {
    const script = readFileSync(repoFile("scripts/services/start-kafka.sh"), "utf8");
    expect(script).toContain('POM="$REPO_ROOT/scripts/services/kafka/pom.xml"');
    expect(readFileSync(repoFile("scripts/services/kafka/pom.xml"), "utf8")).toContain("<artifactId>kafka_2.13</artifactId>");
  });

  it("CI keeps no jar list of its own", () => {
    expect(existsSync(repoFile(".ci/kafka/pom.xml"))).toBe(false);
  });
});
