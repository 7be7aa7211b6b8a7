// Several COPY … FROM STDIN in one round trip. node-postgres sends one query and waits for its
// answer before the next; a batch's BEGIN and three COPYs were four round trips, each idle time
// for the server while the writer's thread, on a busy machine, waited its turn to answer. Here
// they go as one simple-protocol query string ("begin; copy a from stdin; copy b from stdin"),
// and each COPY's rows are sent the moment the server asks for them (CopyInResponse), in order.
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT
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
 * One statement of the query: a COPY … FROM STDIN with its rows (COPY text), or a statement
 * that takes no data (BEGIN) without. Rows go to the COPY statements in the order given; a
 * COPY left without rows fails the query. COPY … TO STDOUT is not handled.
 */
export interface CopyStep {
  statement: string;
  rows?: Buffer;
}

/** Runs the statements as one query; resolves once the server is ready again, rejects with its error. */
export function runCopySequence(c: pg.Client, steps: readonly CopyStep[]): Promise<void> {
  return new Promise((resolve, reject) => {
    c.query(new CopySequence(steps, resolve, reject) as unknown as pg.QueryConfig);
  });
}

/** The query object node-postgres drives (the same hooks pg-copy-streams implements). */
class CopySequence {
  private readonly text: string;
  private readonly data: Buffer[];
  private failed = false;

  constructor(steps: readonly CopyStep[], private readonly resolve: () => void, private readonly reject: (error: unknown) => void) {
    this.text = steps.map((s) => s.statement).join(";\n");
    this.data = steps.filter((s) => s.rows !== undefined).map((s) => s.rows!);
  }

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  /** node-postgres overwrites it with its timeout handling when query_timeout is set. */
  callback(): void {}

  /** The server is ready for the next COPY's rows: all of them, then the end of the data. */
  handleCopyInResponse(connection: Connection): void {
    const rows = this.data.shift();
    if (rows === undefined) {
      // More COPY statements than rows given: fail this COPY (and so the query) rather than hang.
      const reason = Buffer.from("copy sequence: no rows were given for this COPY\0");
      connection.stream.write(header(COPY_FAIL, reason.length));
      connection.stream.write(reason);
      return;
    }
    if (rows.length > 0) {
      connection.stream.write(header(COPY_DATA, rows.length));
      connection.stream.write(rows);
    }
    connection.stream.write(COPY_DONE);
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

/** A message's type byte and its length (the body, `bodyLength` bytes, is written next). */
function header(type: number, bodyLength: number): Buffer {
  const bytes = Buffer.allocUnsafe(5);
  bytes[0] = type;
  bytes.writeUInt32BE(bodyLength + 4, 1);
  return bytes;
}
