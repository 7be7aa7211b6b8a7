// Fills psql-style variables into a statement, as psql does:
//   :'name'  a quoted literal      'it''s'      (single quotes doubled)
//   :"name"  a quoted identifier   "my ""db"""  (double quotes doubled)
//   :name    a bare value; allowed only for numbers here (a port), never for text, so
//            configuration can never inject SQL.
// An unknown name is an error that names the file, the line and the variables that exist.

import type { Piece, SqlStatement } from "./split.ts";

export interface SqlVariable {
  value: string | number;
  /** Masked as '***' in --dry-run output. */
  secret?: boolean;
}

export type SqlVariables = Readonly<Record<string, SqlVariable>>;

export class VariableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VariableError";
  }
}

export interface RenderOptions {
  /** Show secret values as '***' (for printing, never for executing). */
  maskSecrets?: boolean;
  /** For messages: the file the statement comes from. */
  file?: string;
}

export function renderStatement(statement: SqlStatement, variables: SqlVariables, opts: RenderOptions = {}): string {
  return statement.pieces.map((piece) => renderPiece(piece, variables, opts)).join("");
}

function renderPiece(piece: Piece, variables: SqlVariables, opts: RenderOptions): string {
  if (piece.kind === "sql") return piece.text;
  const where = `${opts.file ?? "<sql>"}:${piece.line}`;
  const variable = Object.hasOwn(variables, piece.name) ? variables[piece.name] : undefined;
  if (!variable) {
    const known = Object.keys(variables).sort().join(", ") || "(none)";
    throw new VariableError(`${where}: unknown variable ${piece.source}; known variables: ${known}`);
  }
  const value = opts.maskSecrets && variable.secret ? "***" : String(variable.value);
  switch (piece.form) {
    case "literal":
      return quoteLiteral(value);
    case "identifier":
      return quoteIdentifier(value);
    case "bare":
      if (typeof variable.value !== "number" || !Number.isFinite(variable.value)) {
        throw new VariableError(
          `${where}: ${piece.source} is text; write :'${piece.name}' (a literal) or :"${piece.name}" (an identifier)`,
        );
      }
      return value;
  }
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function quoteIdentifier(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
