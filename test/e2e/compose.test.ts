// The whole lab, as a user starts it: `docker compose up` on the repo's docker-compose.yml (built
// from the working tree), then the dashboard that `metabase-setup` provisioned must show sane
// numbers. Needs a container runtime (and pulls about 2.5 GB of images the first time); skipped with
// a printed reason without one, unless LAB_REQUIRE names metabase (then it fails).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../../config/env.ts";
import { METABASE_SETTINGS } from "../../config/metabase.ts";
import { expectEventually } from "../helpers/eventually.ts";
import { containerRuntimeMissing, oneShotResult, startLabStack, type LabStack } from "./compose-stack.ts";
import { cardProblems, dashboardCards, logIn, runCard } from "./metabase-cards.ts";

const adminEmail = METABASE_SETTINGS.adminEmail[1];
const adminPassword = METABASE_SETTINGS.adminPassword[1];

const runtimeMissing = await containerRuntimeMissing();
const required = (readEnv().LAB_REQUIRE ?? "").split(",").map((s) => s.trim()).includes("metabase");
if (runtimeMissing && required) throw new Error(`LAB_REQUIRE names metabase, but no container runtime: ${runtimeMissing}`);
if (runtimeMissing) process.stderr.write(`[skip] compose e2e: no container runtime (${runtimeMissing})\n`);

describe.skipIf(runtimeMissing !== undefined)("the lab started with docker compose", () => {
  let stack: LabStack | undefined;
  let provisionOutput = { exitCode: -1, stdout: "", stderr: "" };

  beforeAll(async () => {
    const projectName = `mlab-e2e-${process.pid}`;
    stack = await startLabStack(projectName, { METABASE_ADMIN_EMAIL: adminEmail, METABASE_ADMIN_PASSWORD: adminPassword });
    provisionOutput = await oneShotResult(projectName, "metabase-setup");
    // Pulls (2.5 GB the first time), the tools' build, Metabase's first boot and provisioning: more
    // than the e2e project's 15-minute default hook timeout can hold on a cold runner.
  }, 1_500_000);

  afterAll(async () => {
    await stack?.environment.down({ removeVolumes: true });
  }, 300_000);

  it("provisions the dashboard and prints its URL as the last line", () => {
    expect(provisionOutput.exitCode, provisionOutput.stderr.slice(-4_000)).toBe(0);
    const lastLine = provisionOutput.stdout.trim().split("\n").at(-1) ?? "";
    expect(lastLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dashboard\/\d+/);
  });

  it("serves every card of the dashboard with rows whose values are in range", async () => {
    const lastLine = provisionOutput.stdout.trim().split("\n").at(-1) ?? "";
    const dashboardId = Number(/\/dashboard\/(\d+)/.exec(lastLine)?.[1]);
    expect(dashboardId).toBeGreaterThan(0);
    const baseUrl = stack?.metabaseUrl ?? "";
    const session = await logIn(baseUrl, adminEmail, adminPassword);
    const cards = await dashboardCards(baseUrl, session, dashboardId);
    expect(cards.length).toBeGreaterThan(0);
    // Labels mature 30 s after a lead arrives, so the first windows appear 30–60 s after the start.
    await expectEventually(
      () => Promise.all(cards.map((card) => runCard(baseUrl, session, card))),
      (results) => expect(results.flatMap(cardProblems)).toEqual([]),
      { timeoutMs: 240_000, describe: "every card has rows with values in range" },
    );
  });
});
