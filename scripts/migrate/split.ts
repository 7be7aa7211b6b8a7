// Splits a SQL file into statements the way psql does, and finds psql-style variables.
//
// A `;` ends a statement only outside quotes and comments: '...' (with '' escapes, and
// backslash escapes in E'...'), "..." identifiers, $tag$...$tag$ dollar quotes, -- line
// comments and nested /* */ comments. Variables are found in the same places psql finds
// them: :'name' (a quoted literal), :"name" (a quoted identifier) and :name (a bare value);
// never inside quotes or comments, and never in a `::` cast.

export type VariableForm = "literal" | "identifier" | "bare";

export type Piece =
  | { kind: "sql"; text: string }
  | { kind: "variable"; form: VariableForm; name: string; line: number; source: string };

export interface SqlStatement {
  /** 1-based line of the statement's first token in its file. */
  line: number;
  /** The statement as pieces of SQL text and variables, without the closing `;`. */
  pieces: Piece[];
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

export class SqlSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`);
    this.name = "SqlSyntaxError";
  }
}

export function splitStatements(text: string): SqlStatement[] {
  return new Splitter(text).run();
}

/** The statement's SQL with each variable shown as written (for messages and tests). */
export function rawText(statement: SqlStatement): string {
  return statement.pieces.map((p) => (p.kind === "sql" ? p.text : p.source)).join("");
}

class Splitter {
  private pos = 0;
  private line = 1;
  private statements: SqlStatement[] = [];
  private pieces: Piece[] = [];
  private buffer = "";
  private startLine: number | undefined;

  constructor(private readonly text: string) {}

  run(): SqlStatement[] {
    while (this.pos < this.text.length) this.step();
    this.finishStatement();
    return this.statements;
  }

  private step(): void {
    const c = this.text[this.pos] ?? "";
    const next = this.text[this.pos + 1] ?? "";
    if (c === "-" && next === "-") return this.skipLineComment();
    if (c === "/" && next === "*") return this.skipBlockComment();
    if (c === ";") {
      this.pos += 1;
      return this.finishStatement();
    }
    if (/\s/.test(c)) return this.emit(this.take(1));
    this.startLine ??= this.line;
    if (c === "'") return this.emit(this.quoted("'", this.isEscapeString()));
    if (c === '"') return this.emit(this.quoted('"', false));
    if (c === "$") return this.emit(this.dollarQuotedOrWord());
    if (c === ":") return this.colon(next);
    if (IDENT_START.test(c)) return this.emit(this.word());
    this.emit(this.take(1));
  }

  private colon(next: string): void {
    if (next === ":") return this.emit(this.take(2));
    const line = this.line;
    const start = this.pos;
    if (next === "'" || next === '"') {
      const quote = next;
      const end = this.text.indexOf(quote, this.pos + 2);
      const name = end < 0 ? "" : this.text.slice(this.pos + 2, end);
      if (end < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return this.emit(this.take(1));
      this.pos = end + 1;
      const form = quote === "'" ? "literal" : "identifier";
      return this.variable(form, name, line, this.text.slice(start, this.pos));
    }
    if (/[A-Za-z_]/.test(next)) {
      this.pos += 1;
      const name = this.word();
      return this.variable("bare", name, line, this.text.slice(start, this.pos));
    }
    this.emit(this.take(1));
  }

  private variable(form: VariableForm, name: string, line: number, source: string): void {
    this.flushText();
    this.pieces.push({ kind: "variable", form, name, line, source });
  }

  private isEscapeString(): boolean {
    const prev = this.text[this.pos - 1] ?? "";
    const beforePrev = this.text[this.pos - 2] ?? "";
    return (prev === "E" || prev === "e") && !IDENT_CHAR.test(beforePrev);
  }

  private quoted(quote: string, backslashEscapes: boolean): string {
    const startLine = this.line;
    let i = this.pos + 1;
    for (;;) {
      if (i >= this.text.length) throw new SqlSyntaxError(`unterminated ${quote} quote`, startLine);
      const c = this.text[i];
      if (backslashEscapes && c === "\\") i += 2;
      else if (c === quote && this.text[i + 1] === quote) i += 2;
      else if (c === quote) return this.take(i + 1 - this.pos);
      else i += 1;
    }
  }

  private dollarQuotedOrWord(): string {
    const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(this.text.slice(this.pos));
    const prev = this.text[this.pos - 1] ?? "";
    if (!tag || IDENT_CHAR.test(prev)) return this.take(1);
    const end = this.text.indexOf(tag[0], this.pos + tag[0].length);
    if (end < 0) throw new SqlSyntaxError(`unterminated dollar quote ${tag[0]}`, this.line);
    return this.take(end + tag[0].length - this.pos);
  }

  private word(): string {
    let i = this.pos;
    while (i < this.text.length && IDENT_CHAR.test(this.text[i] ?? "")) i += 1;
    return this.take(i - this.pos);
  }

  private skipLineComment(): void {
    const end = this.text.indexOf("\n", this.pos);
    this.skip((end < 0 ? this.text.length : end) - this.pos);
  }

  private skipBlockComment(): void {
    const startLine = this.line;
    let depth = 0;
    let i = this.pos;
    do {
      if (i >= this.text.length) throw new SqlSyntaxError("unterminated /* comment", startLine);
      if (this.text.startsWith("/*", i)) {
        depth += 1;
        i += 2;
      } else if (this.text.startsWith("*/", i)) {
        depth -= 1;
        i += 2;
      } else i += 1;
    } while (depth > 0);
    // Inside a statement the comment becomes a space (so `a/* */b` stays two tokens) plus
    // its line breaks (so line numbers in the server's errors still match the file).
    const newlines = countNewlines(this.text.slice(this.pos, i));
    this.skip(i - this.pos);
    this.emit(` ${"\n".repeat(newlines)}`);
  }

  private take(length: number): string {
    const chunk = this.text.slice(this.pos, this.pos + length);
    this.pos += length;
    this.line += countNewlines(chunk);
    return chunk;
  }

  private skip(length: number): void {
    this.take(length);
  }

  private emit(chunk: string): void {
    if (this.startLine !== undefined) this.buffer += chunk;
  }

  private flushText(): void {
    if (this.buffer !== "") this.pieces.push({ kind: "sql", text: this.buffer });
    this.buffer = "";
  }

  private finishStatement(): void {
    this.flushText();
    if (this.startLine !== undefined) {
      trimEnd(this.pieces);
      this.statements.push({ line: this.startLine, pieces: this.pieces });
    }
    this.pieces = [];
    this.startLine = undefined;
  }
}

function countNewlines(chunk: string): number {
  let n = 0;
  for (const c of chunk) if (c === "\n") n += 1;
  return n;
}

function trimEnd(pieces: Piece[]): void {
  const last = pieces[pieces.length - 1];
  if (last?.kind === "sql") last.text = last.text.trimEnd();
}
