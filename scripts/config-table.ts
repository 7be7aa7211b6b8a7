// Prints the load generator's configuration as a Markdown table (pasted into the README;
// a unit test checks the README lists every flag and variable).

import { LOADGEN_SETTINGS } from "../config/loadgen.ts";

export function loadgenConfigTable(): string {
  const rows = Object.values(LOADGEN_SETTINGS).map(
    ([flag, envName, fallback, , help]) => `| \`${flag}\` | \`${envName}\` | ${fallback === "" ? "—" : `\`${fallback}\``} | ${help} |`,
  );
  return ["| flag | env | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(loadgenConfigTable());
