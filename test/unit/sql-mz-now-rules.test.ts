// The lab's views obey Materialize's rules for mz_now(), checked on the real Postgres parse
// tree of exactly the statements the reference target runs (test/sql/support/mz-now-rules.ts).

import { describe, expect, it } from "vitest";
import { migrateConfig } from "../../config/migrate.ts";
import { planSqlTarget } from "../../scripts/migrate/apply.ts";
import { REPO_ROOT } from "../../scripts/migrate/run.ts";
import { SQL_TARGET_SPECS, sqlVariablesOf } from "../../scripts/migrate/targets.ts";
import { mzNowViolations } from "../sql/support/mz-now-rules.ts";

function planOf(target: "reference" | "materialize") {
  const config = migrateConfig({ target, url: "postgres://checker@127.0.0.1:1/none" }, {});
  return planSqlTarget(SQL_TARGET_SPECS[target], config, { repoRoot: REPO_ROOT, variables: sqlVariablesOf(config), log: () => {} });
}

describe("mz_now() in the lab's views", () => {
  const portable = planOf("reference").filter((file) => /^materialize\/[3-9]\d_/.test(file.path));

  it("parses every portable statement with the Postgres parser and finds no broken rule", async () => {
    const found: string[] = [];
    for (const file of portable) {
      for (const statement of file.statements) {
        const violations = await mzNowViolations(statement.sql);
        found.push(...violations.map((v) => `${file.path}:${statement.line + v.line - 1}: ${v.rule}`));
      }
    }
    expect(found).toEqual([]);
  });

  it("checks the temporal filters where they are (the check is not vacuous)", () => {
    const uses = portable.flatMap((f) => f.statements).map((s) => s.sql.match(/\bmz_now\(\)/g)?.length ?? 0);
    expect(uses.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6);
  });

  it("keeps mz_now() out of the Materialize-only files, which the Postgres parser cannot read", () => {
    const materializeOnly = planOf("materialize").filter((file) => !portable.some((p) => p.path === file.path));
    expect(materializeOnly.map((f) => f.path)).toContain("materialize/90_serving/10_classifier_metrics.materialize.sql");
    for (const file of materializeOnly) {
      for (const statement of file.statements) expect(statement.sql, file.path).not.toMatch(/mz_now/i);
    }
  });
});

describe("the mz_now() check", () => {
  const rulesBrokenBy = async (sql: string) => (await mzNowViolations(sql)).map((v) => v.rule);

  it.each([
    ["arithmetic on mz_now()", "select * from t where created_at >= mz_now() - interval '5 minutes'", /arithmetic on mz_now\(\) \(-\)/],
    ["!= with mz_now()", "select * from t where mz_now() != created_at", /!= or <> with mz_now\(\)/],
    ["<> with mz_now()", "select * from t where mz_now() <> created_at", /!= or <> with mz_now\(\)/],
    ["OR at the top of a WHERE using mz_now()", "select * from t where mz_now() < b or a", /OR at the top level of a WHERE/],
    ["OR beside mz_now() in a conjunction", "select * from t where mz_now() < b and (a or c)", /OR at the top level of a WHERE/],
    ["mz_now() in a FILTER clause", "select count(*) filter (where mz_now() < b) from t", /aggregate FILTER/],
    ["mz_now() in a SELECT list", "select mz_now() from t", /SELECT list/],
    ["mz_now() in a HAVING with OR", "select a from t group by a having mz_now() < max(b) or a", /OR at the top level of a HAVING/],
    ["a cast of mz_now()", "select * from t where mz_now()::timestamptz < b", /a cast of mz_now\(\)/],
    ["mz_now() under NOT", "select * from t where not (mz_now() < b)", /under NOT/],
    ["mz_now() in a CASE", "select * from t where case when mz_now() < b then true end", /nested in CaseWhen/],
    ["mz_now() on both sides", "select * from t where mz_now() < mz_now()", /compared with an expression containing mz_now/],
    ["mz_now() in a join condition", "select * from t join u on mz_now() < u.b", /outside WHERE\/HAVING|JoinExpr/],
  ])("rejects %s", async (_name, sql, rule) => {
    expect((await rulesBrokenBy(sql)).join("; ")).toMatch(rule);
  });

  it.each([
    ["a comparison with the arithmetic on the other side", "select * from t where mz_now() <= b + interval '5 minutes'"],
    ["a lower and an upper bound", "select * from t where mz_now() >= e and mz_now() < e + interval '10 minutes'"],
    ["BETWEEN", "select * from t where mz_now() between a and b"],
    ["a temporal filter inside a CTE of a view", "create view v as with x as (select * from t where mz_now() < b and c) select * from x"],
    ["OR in a WHERE that does not use mz_now()", "select * from t where a or b"],
  ])("accepts %s", async (_name, sql) => {
    expect(await rulesBrokenBy(sql)).toEqual([]);
  });

  it("says on which line of the statement the offending call is", async () => {
    expect(await mzNowViolations("select *\nfrom t\nwhere\n    mz_now() != b")).toEqual([{ line: 4, rule: "!= or <> with mz_now()" }]);
  });
});
