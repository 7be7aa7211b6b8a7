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
