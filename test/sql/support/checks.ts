// Runs the invariant queries beside the views (materialize/**/*.checks.sql): each must return
// no rows at the current lab.now.

import { readFileSync } from "node:fs";
import type pg from "pg";
import { expect } from "vitest";
import { CHECKS_TAG, discoverSqlFiles } from "../../../scripts/migrate/discover.ts";
import { REPO_ROOT } from "../../../scripts/migrate/run.ts";
import { rawText, splitStatements } from "../../../scripts/migrate/split.ts";

export const CHECK_FILES = discoverSqlFiles(REPO_ROOT, ["materialize"], [CHECKS_TAG]).filter((f) => f.tag === CHECKS_TAG);

const CHECKS = CHECK_FILES.flatMap((file) =>
  splitStatements(readFileSync(file.absolutePath, "utf8")).map((statement) => ({
    where: `${file.path}:${statement.line}`,
    sql: rawText(statement),
  })),
);

export async function expectInvariantsHold(client: pg.Client, context = ""): Promise<void> {
  for (const check of CHECKS) {
    const result = await client.query(check.sql);
    expect(result.rows, `${context} ${check.where} returned rows`).toEqual([]);
  }
}
