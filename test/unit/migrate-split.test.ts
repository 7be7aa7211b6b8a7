// The statement splitter and the psql-style variables of the migration runner.

import { describe, expect, it } from "vitest";
import { rawText, splitStatements, SqlSyntaxError } from "../../scripts/migrate/split.ts";
import { quoteLiteral, renderStatement, VariableError, type SqlVariables } from "../../scripts/migrate/variables.ts";

const texts = (sql: string) => splitStatements(sql).map(rawText);

describe("splitting a SQL file into statements", () => {
  it("splits on semicolons and drops empty statements and comment-only tails", () => {
    expect(texts("select 1;\n;\nselect 2 ;\n-- the end\n")).toEqual(["select 1", "select 2"]);
  });

  it("keeps semicolons inside quotes, identifiers, dollar quotes and comments", () => {
    const sql = [
      "select 'a;b', 'it''s;', E'\\';', \"x;y\" from t; -- not ; a split",
      "do $$ begin perform 1; end $$;",
      "create function f() returns int as $body$ select 1; $body$ language sql;",
      "/* a ; /* nested ; */ comment */ select 3;",
    ].join("\n");
    expect(texts(sql)).toEqual([
      "select 'a;b', 'it''s;', E'\\';', \"x;y\" from t",
      "do $$ begin perform 1; end $$",
      "create function f() returns int as $body$ select 1; $body$ language sql",
      "select 3",
    ]);
  });

  it("knows each statement's first line in the file, after its leading comments", () => {
    const statements = splitStatements("-- header\n--\n\ncreate view v as\n    select 1;\n\n/* two\n lines */\nselect\n 2;");
    expect(statements.map((s) => s.line)).toEqual([4, 9]);
  });

  it("keeps line breaks of comments inside a statement, so server positions map to file lines", () => {
    expect(texts("select a /* one\ntwo */ from t")).toEqual(["select a  \n from t"]);
  });

  it("does not take $1 parameters or casts for quotes or variables", () => {
    expect(texts("select $1::int, a::text from t")).toEqual(["select $1::int, a::text from t"]);
    expect(splitStatements("select $1::int")[0]?.pieces.every((p) => p.kind === "sql")).toBe(true);
  });

  it("fails on an unterminated quote, naming its line", () => {
    expect(() => splitStatements("select 1;\nselect 'oops")).toThrow(SqlSyntaxError);
    expect(() => splitStatements("select 1;\nselect 'oops")).toThrow(/line 2/);
  });
});

describe("psql-style variables", () => {
  const variables: SqlVariables = {
    password: { value: "it's \"secret\"", secret: true },
    cluster: { value: "quick start" },
    port: { value: 5432 },
  };
  const render = (sql: string, opts = {}) => {
    const [statement] = splitStatements(sql);
    return renderStatement(statement!, variables, { file: "x.sql", ...opts });
  };

  it("fills :'name' as a literal, :\"name\" as an identifier and :name as a number", () => {
    expect(render("alter role r password :'password' in cluster :\"cluster\" port :port")).toBe(
      `alter role r password 'it''s "secret"' in cluster "quick start" port 5432`,
    );
  });

  it("leaves look-alikes inside quotes, comments and casts alone", () => {
    expect(render("select ':password', \":cluster\", x::int /* :port */ from t")).toBe(
      "select ':password', \":cluster\", x::int   from t",
    );
  });

  it("masks secrets when asked (for --dry-run)", () => {
    expect(render("select :'password', :'cluster'", { maskSecrets: true })).toBe("select '***', 'quick start'");
  });

  it("names the file, the line and the known variables when a variable is unknown", () => {
    expect(() => render("select 1,\n  :'pasword'")).toThrow(VariableError);
    expect(() => render("select 1,\n  :'pasword'")).toThrow("x.sql:2: unknown variable :'pasword'; known variables: cluster, password, port");
  });

  it("refuses text as a bare :name, so configuration cannot inject SQL", () => {
    expect(() => render("select :cluster")).toThrow(/:cluster is text/);
  });

  it("quotes literals the way Postgres reads them back", () => {
    expect(quoteLiteral("a'b''c")).toBe("'a''b''''c'");
  });
});
