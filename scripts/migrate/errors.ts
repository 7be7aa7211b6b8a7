// A migration that failed: which file, which statement, and what the server said.

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly statementFirstLine: string,
    readonly serverMessage: string,
    readonly sqlState: string | undefined,
  ) {
    super(
      `migration failed in ${file}:${line}\n` +
        `  statement: ${statementFirstLine}\n` +
        `  server said${sqlState ? ` (${sqlState})` : ""}: ${serverMessage}`,
    );
    this.name = "MigrationError";
  }
}

export interface TableDifference {
  /** schema.table */
  table: string;
  /** The file that declares it. */
  file: string;
  /** "column: expected ..., found ..." */
  columns: string[];
}

/** Tables that exist with another shape than the migration declares: nothing was changed. */
export class TableShapeError extends Error {
  constructor(readonly differences: readonly TableDifference[]) {
    super(
      `existing tables differ from the shape the migration declares; nothing was changed:\n` +
        differences.map((d) => `  table ${d.table} (declared in ${d.file}):\n${d.columns.map((c) => `    ${c}`).join("\n")}`).join("\n") +
        `\n  fix: migrate into a fresh database (--url / MIGRATE_PG_URL), or drop or rename the table(s) above if their data can go, then run again`,
    );
    this.name = "TableShapeError";
  }
}
