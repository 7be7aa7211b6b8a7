// Checks that a test run left nothing behind (CI runs it around `npm test`, .ci/run):
//
//   tsx scripts/leftovers.ts snapshot <file>   before the run: the topics already on the broker
//   tsx scripts/leftovers.ts check <file>      after it: exit 1, listing them, if the run left
//        a topic that was not in the snapshot, a private server's or a lab tool's process, or a
//        private state dir (scripts/leftovers/find.ts says what counts)
//
// The broker is LAB_KAFKA_BROKERS; without it only processes and dirs are checked.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadTestServicesConfig } from "../config/test-services.ts";
import { leftoverProcesses, leftoverStateDirs, listTopics, newTopics, runningProcesses } from "./leftovers/find.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const [mode, file] = process.argv.slice(2);
if ((mode !== "snapshot" && mode !== "check") || !file) {
  console.error("usage: tsx scripts/leftovers.ts snapshot|check <file>");
  process.exit(2);
}
const brokers = loadTestServicesConfig().kafkaBrokers;
const topics = brokers ? await listTopics(brokers) : [];

if (mode === "snapshot") {
  writeFileSync(file, JSON.stringify({ topics }, null, 2));
  console.log(`[leftovers] ${topics.length} topic(s) before the run`);
} else {
  const before = (JSON.parse(readFileSync(file, "utf8")) as { topics: string[] }).topics;
  const found = [
    ...newTopics(before, topics).map((topic) => `topic ${topic} (on ${brokers?.join(",")})`),
    ...leftoverProcesses(runningProcesses(), repoRoot, process.pid).map((p) => `process ${p.pid}: ${p.command.slice(0, 200)}`),
    ...leftoverStateDirs().map((dir) => `state dir ${dir}`),
  ];
  for (const line of found) console.error(`[leftovers] left behind: ${line}`);
  console.log(`[leftovers] ${found.length === 0 ? "nothing left behind" : `${found.length} thing(s) left behind`}`);
  process.exitCode = found.length === 0 ? 0 : 1;
}
