// The repository stands alone: no tracked file names a path outside it. A reader of a clone has
// neither the folder beside the repository that it was built from nor the build machine's disk.
//
// Checked in every file `git ls-files` lists, except package-lock.json (npm's, not ours) and this
// file (its patterns would match themselves):
//   1. a relative path (`../…`, also `../..` alone) must resolve inside the repository to something
//      that exists: no `../shared/…`, no link to a sibling folder;
//   2. no absolute path into a machine's own tree: /work, /home, /Users, /root, /mnt, /media, /srv,
//      /opt, /private, /var/folders, a Windows drive (C:\…);
//   3. /tmp only where a script makes its own runtime temp dir, listed in TMP_ALLOWED below.
// Not checked, because they name no machine: /usr/lib/postgresql/*/bin (Debian's fixed install
// dir), /proc/<pid>, /dev/tcp, /dev/null, /dev/urandom, /usr/bin/env, /usr/sbin/nologin,
// /nonexistent (a system user's home, a path meant not to exist), paths inside containers
// (/var/lib/postgresql/data, /var/lib/redpanda/data), and URL paths (/api/…).

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/run-tool.ts";

const THIS_FILE = "test/unit/repo-stands-alone.test.ts";

/** /tmp uses that are a script's own runtime temp dir: file → the exact text allowed there. */
const TMP_ALLOWED: Record<string, string[]> = {
  ".ci/run": ["/tmp/ml-monitoring-lab-ci."], // CI's state dir (mktemp -d), and the sweep of old ones
  "scripts/services/lib.sh": ["/tmp/ml-monitoring-lab-postgres-", "per-port dir in /tmp."], // root's cluster dir
  "test/unit/compose-config.test.ts": ['"/tmp"'], // HOME for a child process when none is set
};

const MACHINE_PATH = /(?<![\w.~/-])(\/(?:work|home|Users|root|mnt|media|srv|opt|private|var\/folders)\/[\w.-]+|[A-Za-z]:\\[\w.-]+)/g;
const TMP_PATH = /(?<![\w.~/-])\/tmp\b/g;
const RELATIVE_PATH = /(?<![\w.~/-])((?:\.\.\/)*\.\.)(?!\.)(\/[\w.@-]+(?:\/[\w.@-]+)*)?/g; // not an ellipsis

const trackedFiles = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" })
  .split("\0")
  .filter((file) => file !== "" && file !== "package-lock.json" && file !== THIS_FILE)
  .filter((file) => existsSync(join(repoRoot, file)));

interface Finding { file: string; line: number; text: string }

function scan(check: (file: string, line: string) => string[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of trackedFiles) {
    const text = readFileSync(join(repoRoot, file), "utf8");
    if (text.includes("\0")) continue; // binary
    text.split("\n").forEach((line, index) => {
      for (const hit of check(file, line)) findings.push({ file, line: index + 1, text: hit });
    });
  }
  return findings;
}

const show = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.line}: ${f.text}`);

/** Where a relative path written in `file` leads, or why it leads nowhere in the repository. */
export function relativePathProblem(file: string, path: string): string | undefined {
  const target = resolve(repoRoot, dirname(file), path);
  const inside = relative(repoRoot, target);
  if (inside === ".." || inside.startsWith(`..${sep}`)) return `${path} leaves the repository`;
  if (!existsSync(target)) return `${path} names nothing in the repository`;
  return undefined;
}

describe("the repository stands alone", () => {
  it("has no relative path that leaves the repository or names nothing in it", () => {
    const findings = scan((file, line) =>
      [...line.matchAll(RELATIVE_PATH)]
        .map((m) => relativePathProblem(file, `${m[1]}${m[2] ?? ""}`))
        .filter((problem): problem is string => problem !== undefined));
    expect(show(findings)).toEqual([]);
  });

  it("names no absolute path of a build machine (/work, /home, /Users, …)", () => {
    const findings = scan((_file, line) => [...line.matchAll(MACHINE_PATH)].map((m) => m[1]!));
    expect(show(findings)).toEqual([]);
  });

  it("uses /tmp only for the runtime temp dirs its scripts make", () => {
    const findings = scan((file, line) => {
      if (!TMP_PATH.test(line)) return [];
      TMP_PATH.lastIndex = 0;
      return (TMP_ALLOWED[file] ?? []).some((allowed) => line.includes(allowed)) ? [] : [line.trim()];
    });
    expect(show(findings)).toEqual([]);
  });
});

describe("the relative-path check itself", () => {
  it("flags a path to a folder beside the repository and a path to nothing, and accepts an import", () => {
    expect(relativePathProblem("materialize/README.md", "../../beside-the-repo/notes.md")).toMatch(/leaves the repository/);
    expect(relativePathProblem("test/unit/x.ts", "../../beside-the-repo/notes.md")).toMatch(/names nothing/);
    expect(relativePathProblem("test/unit/x.ts", "../../config/env.ts")).toBeUndefined();
    expect(relativePathProblem("test/helpers/run-tool.ts", "../..")).toBeUndefined();
  });

  it("reads an ellipsis as prose, not as a path", () => {
    const paths = (line: string) => [...line.matchAll(RELATIVE_PATH)].map((m) => m[0]);
    expect(paths("or split-bug, model-decay, ... (--list-scenarios)")).toEqual([]);
    expect(paths("see ../beside/notes")).toEqual(["../beside/notes"]);
  });

  it("recognises machine paths and leaves URL paths and container paths alone", () => {
    const hits = (line: string) => [...line.matchAll(MACHINE_PATH)].map((m) => m[1]);
    expect(hits("see /work/beside/notes.md and /home/me/x")).toEqual(["/work/beside", "/home/me"]);
    expect(hits('client.get("/api/database"); volume: pg:/var/lib/postgresql/data')).toEqual([]);
  });
});
