// scripts/services/start-postgres.sh: durable by default; the fast setting is an explicit opt-in.
// (That a durable server really keeps an acknowledged commit through a crash is shown by
// test/integration/loadgen-postgres-crash.test.ts.)

import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { repoRoot } from "../helpers/run-tool.ts";

const script = readFileSync(new URL("../../scripts/services/start-postgres.sh", import.meta.url), "utf8");

describe("start-postgres.sh", () => {
  it("refuses a LAB_PG_FAST other than 0 or 1 with exit 2, naming the variable and the allowed values", async () => {
    // Should the check ever go, the script must not start a server here: its port is taken and
    // its state dir is a temp dir, so it stops with "port ... is used" (exit 1) instead.
    const stateDir = mkdtempSync(join(tmpdir(), "lab-start-postgres-"));
    const occupied = createServer().listen(0, "127.0.0.1");
    await once(occupied, "listening");
    try {
      const port = String((occupied.address() as AddressInfo).port);
      const run = spawnSync("bash", ["scripts/services/start-postgres.sh"], {
        cwd: repoRoot,
        env: { ...readEnv(), LAB_PG_FAST: "yes", LAB_STATE_DIR: stateDir, LAB_PG_PORT: port },
        encoding: "utf8",
      });
      expect(run.stderr).toContain("LAB_PG_FAST must be 1");
      expect(run.stderr).toContain("'yes'");
      expect(run.status).toBe(2);
    } finally {
      occupied.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("writes no durability setting into the cluster's configuration, so only LAB_PG_FAST=1 turns it off", () => {
    const configBlock = /cat >>"\$DATA\/postgresql.conf" <<'CONF'\n([\s\S]*?)\nCONF/.exec(script)?.[1] ?? "";
    expect(configBlock).toContain("wal_level = logical");
    const settings = configBlock.split("\n").filter((line) => !line.trim().startsWith("#")).join("\n");
    expect(settings).not.toMatch(/fsync|synchronous_commit|full_page_writes/);
  });

  it("starts the server with all three durability settings on unless LAB_PG_FAST=1", () => {
    expect(script).toMatch(/0 \| ""\) DURABILITY=on/);
    expect(script).toMatch(/1\) DURABILITY=off/);
    expect(script).toContain("-c fsync=$DURABILITY -c synchronous_commit=$DURABILITY -c full_page_writes=$DURABILITY");
  });
});
