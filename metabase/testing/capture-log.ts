// A pino logger for tests that keeps every log line (parsed) instead of writing it anywhere.

import { pino, type Logger } from "pino";

export interface CapturedLog {
  log: Logger;
  lines: Array<{ level: number; msg?: string; [key: string]: unknown }>;
  /** Messages at warn level (40) or above. */
  warnings(): string[];
}

export function captureLog(): CapturedLog {
  const lines: CapturedLog["lines"] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines, warnings: () => lines.filter((l) => l.level >= 40).map((l) => `${l.msg ?? ""} ${JSON.stringify(l)}`) };
}
