// Which SQL files a target runs, in which order.
//
// A target lists folders; the folders run in the listed order, the files inside each in
// lexical order of their path (numbered prefixes carry the dependency order). A file named
// `<name>.<tag>.sql` runs only when <tag> is active for the run (e.g. `materialize`,
// `reference`, `kafka-sasl`); a file without a tag always runs. `*.checks.sql` files hold
// invariant queries for the tests: no target activates the `checks` tag.

import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface SqlFile {
  /** Path relative to the repository root, with `/` separators (for messages). */
  path: string;
  absolutePath: string;
  tag: string | undefined;
}

export const CHECKS_TAG = "checks";

/** The tag of `10_x.materialize.sql` is "materialize"; `10_x.sql` has none. */
export function tagOf(fileName: string): string | undefined {
  const parts = fileName.split(".");
  return parts.length >= 3 && parts[parts.length - 1] === "sql" ? parts[parts.length - 2] : undefined;
}

export function discoverSqlFiles(repoRoot: string, folders: readonly string[], activeTags: readonly string[]): SqlFile[] {
  return folders.flatMap((folder) =>
    sqlFilesUnder(join(repoRoot, folder))
      .map((absolutePath) => ({
        absolutePath,
        path: relative(repoRoot, absolutePath).split(sep).join("/"),
        tag: tagOf(absolutePath.split(sep).pop() ?? ""),
      }))
      .filter((file) => file.tag === undefined || activeTags.includes(file.tag))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  );
}

function sqlFilesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new Error(`migration folder ${dir} cannot be read: ${(error as Error).message}`);
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sqlFilesUnder(path);
    return name.endsWith(".sql") ? [path] : [];
  });
}
