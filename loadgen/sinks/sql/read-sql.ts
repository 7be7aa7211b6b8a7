import { readFileSync } from "node:fs";

/** The text of a statement file beside this module (read once, at import). */
export function readSql(name: string): string {
  return readFileSync(new URL(name, import.meta.url), "utf8");
}
