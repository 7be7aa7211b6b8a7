// Several COPY … FROM STDIN in one round trip. node-postgres sends one query and waits for its
// answer before the next; a batch's BEGIN and three COPYs were four round trips, each idle time
// for the server while the writer's thread, on a busy machine, waited its turn to answer. Here
// they go as one simple-protocol query string ("begin; copy a from stdin; copy b from stdin"),
// and every COPY's rows follow the query at once, in order, each COPY's ended by CopyDone: the
// server reads them as it reaches each COPY, without waiting for the client to hear that it
// asks for them (CopyInResponse; on a busy machine that wait was a tenth of the server's time).
// If a COPY fails, the server drops the rows still to come: "any subsequent CopyData, CopyDone,
// or CopyFail messages issued by the frontend will simply be dropped"; if a statement fails
// before a COPY, the server's main loop ignores them the same way (postgres.c: CopyData, CopyDone
// and CopyFail outside a COPY are accepted and ignored). The rows are then sent for nothing: on
// the rare replay path (postgres-write.ts) a batch crosses the wire twice.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
// Statements only, no values: the rows travel as COPY data, never as SQL text.

import type pg from "pg";

// Frontend messages of the COPY sub-protocol: https://www.postgresql.org/docs/current/protocol-message-formats.html
const COPY_DATA = 0x64; // 'd', length, data
const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]); // 'c', length 4
const COPY_FAIL = 0x66; // 'f', length, message, NUL

interface Connection {
  query(text: string): void;
  stream: { write(chunk: Buffer): boolean };
}

/**
 * One step of the query: a single COPY … FROM STDIN with its rows (COPY text), or statements
 * that take no data (BEGIN) without. Rows go to the COPY statements in the order given. The
 * rows are sent before the server reads the statements, so a COPY without rows would take
 * another's: a COPY FROM STDIN must be a step of its own, with rows, and no other step may have
 * rows. COPY … TO STDOUT is not handled.
 */
export interface CopyStep {
  statement: string;
  rows?: Buffer;
}

/** One COPY … FROM STDIN (options after STDIN allowed), and nothing else. */
const ONE_COPY_FROM_STDIN = /^\s*copy\s[^;]*\bfrom\s+stdin\b[^;]*$/i;
/** Anything that looks like a COPY … FROM STDIN, anywhere in a step. */
const ANY_COPY_FROM_STDIN = /\bcopy\s[\s\S]*\bfrom\s+stdin\b/i;

/** Runs the statements as one query; resolves once the server is ready again, rejects with its error. */
export function runCopySequence(c: pg.Client, steps: readonly CopyStep[]): Promise<void> {
  for (const [i, step] of steps.entries()) {
    const problem = stepProblem(step);
    if (problem) return Promise.reject(new Error(`copy sequence: step ${i} (${step.statement.slice(0, 60)}) ${problem}`));
  }
  return new Promise((resolve, reject) => {
    c.query(new CopySequence(steps, resolve, reject) as unknown as pg.QueryConfig);
  });
}

/** The query object node-postgres drives (the same hooks pg-copy-streams implements). */
class CopySequence {
  private readonly text: string;
  private readonly data: Buffer[];
  private copiesAsked = 0;
  private failed = false;

  constructor(steps: readonly CopyStep[], private readonly resolve: () => void, private readonly reject: (error: unknown) => void) {
    // A newline before each `;`: a statement ending in a `--` comment does not swallow it.
    this.text = steps.map((s) => s.statement).join("\n;\n");
    this.data = steps.filter((s) => s.rows !== undefined).map((s) => s.rows!);
  }

  /** The query, then every COPY's rows and its end, without waiting for the server to ask. */
  submit(connection: Connection): void {
    connection.query(this.text);
    for (const rows of this.data) {
      if (rows.length > 0) {
        connection.stream.write(header(COPY_DATA, rows.length));
        connection.stream.write(rows);
      }
      connection.stream.write(COPY_DONE);
    }
  }

  /** node-postgres overwrites it with its timeout handling when query_timeout is set. */
  callback(): void {}

  /**
   * The server reads a COPY's rows: they were sent already, unless the statements held more
   * COPYs than rows were given (stepProblem refuses the ways known to lead there).
   */
  handleCopyInResponse(connection: Connection): void {
    this.copiesAsked += 1;
    if (this.copiesAsked <= this.data.length) return;
    // A COPY that was not counted as one: fail it (and so the query) rather than hang.
    const reason = Buffer.from("copy sequence: no rows were given for this COPY\0");
    connection.stream.write(header(COPY_FAIL, reason.length));
    connection.stream.write(reason);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}

  /** After an error the client gives the next query the connection once the server is ready; no ReadyForQuery reaches us. */
  handleError(error: unknown): void {
    this.failed = true;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.resolve();
  }
}

/** Why a step cannot go in the query, or undefined when it can. */
function stepProblem({ statement: text, rows }: CopyStep): string | undefined {
  const statement = text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " "); // comments say nothing about what runs
  if (rows !== undefined) return ONE_COPY_FROM_STDIN.test(statement) ? undefined : "was given rows but is not a single COPY … FROM STDIN: give rows only to a COPY step";
  if (ONE_COPY_FROM_STDIN.test(statement)) return "is a COPY FROM STDIN and was given no rows: give it rows (empty for none)";
  if (ANY_COPY_FROM_STDIN.test(statement)) return "holds a COPY FROM STDIN among other statements: make the COPY a step of its own, with its rows";
  return undefined;
}

/** A message's type byte and its length (the body, `bodyLength` bytes, is written next). */
function header(type: number, bodyLength: number): Buffer {
  const bytes = Buffer.allocUnsafe(5);
  bytes[0] = type;
  bytes.writeUInt32BE(bodyLength + 4, 1);
  return bytes;
}
