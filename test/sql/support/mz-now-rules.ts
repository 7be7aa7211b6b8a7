// A static check of Materialize's rules for mz_now() in maintained views, on the parse tree
// the real Postgres parser (libpg-query) gives for each statement:
//
//   - mz_now() only in WHERE or HAVING (not in a SELECT list, an ON clause, ORDER BY, ...);
//   - only as a direct operand of =, <, <=, >, >= or BETWEEN: no arithmetic or casts on it,
//     no != / <>, not inside another function, CASE, NOT or OR, never in an aggregate FILTER;
//   - compared with an expression that does not itself contain mz_now();
//   - a WHERE or HAVING that uses mz_now() is a conjunction: no OR at its top level.
//
// Materialize rejects each of these in a materialized view, an indexed view or SUBSCRIBE
// (Materialize's docs on temporal filters; see materialize/README.md, "Rules worth knowing"); ad
// hoc SELECTs are exempt, but every view here may end up maintained, so the check applies to all
// of them.

import { parse } from "libpg-query";

export interface Violation {
  /** 1-based line within the checked text. */
  line: number;
  rule: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A parse-tree node ({ A_Expr: {...} }) seen on the way down, and the field it was found in. */
interface Step {
  type: string;
  body: JsonObject;
  /** The field of this node's body that leads towards the current node. */
  field: string;
}

const COMPARISONS = new Set(["=", "<", "<=", ">", ">="]);
const CLAUSES = new Set(["whereClause", "havingClause"]);

export async function mzNowViolations(sql: string): Promise<Violation[]> {
  const tree = (await parse(sql)) as JsonObject;
  const violations: Violation[] = [];
  const lineOf = (location: Json) =>
    typeof location === "number" && location >= 0 ? 1 + (sql.slice(0, location).match(/\n/g)?.length ?? 0) : 1;
  walk(tree, [], (type, body, path) => {
    if (type === "FuncCall" && isMzNow(body)) {
      const rule = ruleBrokenAt(path);
      if (rule) violations.push({ line: lineOf(body.location ?? null), rule });
    }
    if (type === "SelectStmt") {
      for (const clause of CLAUSES) {
        const condition = body[clause];
        if (condition && containsMzNow(condition) && conjuncts(condition).some((c) => nodeType(c) === "BoolExpr" && boolop(c) === "OR_EXPR")) {
          violations.push({ line: lineOf(firstLocation(condition)), rule: `OR at the top level of a ${clause === "whereClause" ? "WHERE" : "HAVING"} that uses mz_now()` });
        }
      }
    }
  });
  return violations;
}

/** Why the mz_now() call at the end of `path` is not allowed, or undefined if it is. */
function ruleBrokenAt(path: readonly Step[]): string | undefined {
  const parent = path.at(-1);
  if (!parent) return "mz_now() outside any query";
  const comparison = comparisonOf(parent, path.at(-2));
  if (typeof comparison === "string") return comparison;
  const compared = comparison.body;
  const others = [compared.lexpr, compared.rexpr].filter((side) => side !== undefined);
  if (others.filter((side) => containsMzNow(side as Json)).length > 1) return "mz_now() compared with an expression containing mz_now()";
  // Walk up from the comparison to the clause that holds it: only ANDs may lie between.
  for (let i = path.length + comparison.depth - 1; i >= 0; i--) {
    const step = path[i] as Step;
    if (step.type === "BoolExpr" && boolop(step) === "AND_EXPR") continue;
    if (step.type === "BoolExpr") return `mz_now() under ${boolop(step) === "OR_EXPR" ? "OR" : "NOT"}`;
    if (step.type === "SelectStmt") return CLAUSES.has(step.field) ? undefined : `mz_now() outside WHERE/HAVING (in ${step.field})`;
    if (step.type === "FuncCall" && step.field === "agg_filter") return "mz_now() in an aggregate FILTER clause";
    if (step.type === "ResTarget") return "mz_now() in a SELECT list";
    return `mz_now() nested in ${step.type}`;
  }
  return "mz_now() outside any query";
}

/** The comparison that directly holds mz_now() (`depth` -1: the parent, -2: the grandparent),
 *  or the rule it breaks. */
function comparisonOf(parent: Step, grandparent: Step | undefined): { body: JsonObject; depth: number } | string {
  if (parent.type === "A_Expr") {
    const kind = parent.body.kind;
    const op = operator(parent.body);
    if (kind === "AEXPR_OP" && COMPARISONS.has(op)) return { body: parent.body, depth: -1 };
    if (kind === "AEXPR_BETWEEN") return { body: parent.body, depth: -1 };
    if (kind === "AEXPR_OP" && (op === "<>" || op === "!=")) return "!= or <> with mz_now()";
    if (kind === "AEXPR_OP" && /^[-+*/%^]$/.test(op)) return `arithmetic on mz_now() (${op})`;
    return `mz_now() in ${String(kind)} ${op}`;
  }
  if (parent.type === "List" && grandparent?.type === "A_Expr" && grandparent.body.kind === "AEXPR_BETWEEN") {
    return { body: grandparent.body, depth: -2 };
  }
  if (parent.type === "TypeCast") return "a cast of mz_now()";
  if (parent.type === "FuncCall") return parent.field === "agg_filter" ? "mz_now() in an aggregate FILTER clause" : "mz_now() as a function argument";
  if (parent.type === "ResTarget") return "mz_now() in a SELECT list";
  return `mz_now() directly in ${parent.type}`;
}

function walk(node: Json, path: Step[], visit: (type: string, body: JsonObject, path: readonly Step[]) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, path, visit);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const type = nodeType(node);
  const body = type ? (node[type] as JsonObject) : node;
  if (type) visit(type, body, path);
  for (const [field, child] of Object.entries(body)) {
    if (child === null || typeof child !== "object") continue;
    walk(child, type ? [...path, { type, body, field }] : path, visit);
  }
}

/** A node is { TypeName: body } with one key starting with an upper-case letter. */
function nodeType(node: Json): string | undefined {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 && /^[A-Z]/.test(keys[0] ?? "") ? keys[0] : undefined;
}

function isMzNow(funcCall: JsonObject): boolean {
  const names = funcCall.funcname;
  const last = Array.isArray(names) ? names.at(-1) : undefined;
  return stringValue(last) === "mz_now";
}

function containsMzNow(node: Json): boolean {
  let found = false;
  walk(node, [], (type, body) => {
    if (type === "FuncCall" && isMzNow(body)) found = true;
  });
  return found;
}

function conjuncts(node: Json): Json[] {
  if (nodeType(node) === "BoolExpr" && boolop(node) === "AND_EXPR") {
    const args = ((node as JsonObject).BoolExpr as JsonObject).args;
    return (Array.isArray(args) ? args : []).flatMap(conjuncts);
  }
  return [node];
}

function boolop(node: Json | Step): Json {
  if ("type" in (node as Step) && "body" in (node as Step)) return (node as Step).body.boolop ?? null;
  return ((node as JsonObject).BoolExpr as JsonObject | undefined)?.boolop ?? null;
}

function operator(aExpr: JsonObject): string {
  const names = aExpr.name;
  return Array.isArray(names) ? (stringValue(names.at(-1)) ?? "") : "";
}

function stringValue(node: Json | undefined): string | undefined {
  const inner = node && typeof node === "object" && !Array.isArray(node) ? (node.String as JsonObject | undefined) : undefined;
  return typeof inner?.sval === "string" ? inner.sval : undefined;
}

function firstLocation(node: Json): Json {
  let location: Json = null;
  walk(node, [], (_type, body) => {
    if (location === null && typeof body.location === "number") location = body.location;
  });
  return location;
}
