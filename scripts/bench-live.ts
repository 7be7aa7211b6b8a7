// `npm run bench -- --live-seconds N`: the load generator in live mode at its default rate for N
// seconds, with both sinks, reporting its resident memory (RSS) at the first and the last
// throughput log and its peak: a generator that keeps up should hold memory flat. The
// README's check runs 600 s. Measures; asserts nothing.

import { runTool, type ToolResult } from "../test/helpers/run-tool.ts";

const STATS_INTERVAL_SECONDS = 10;

export function runLive(seconds: number, env: Record<string, string>, abort: AbortSignal): Promise<ToolResult> {
  if (!(Number.isSafeInteger(seconds) && seconds >= 2 * STATS_INTERVAL_SECONDS)) {
    throw new Error(`--live-seconds must be a whole number of seconds >= ${2 * STATS_INTERVAL_SECONDS}, got ${seconds}`);
  }
  return runTool(
    "loadgen/main.ts",
    ["--mode", "live", "--profile", "default", "--seed", "bench", "--duration-seconds", String(seconds), "--stats-interval-seconds", String(STATS_INTERVAL_SECONDS)],
    { env, timeoutMs: (seconds + 120) * 1000, abort },
  );
}

interface LogLine { msg: string; time: number; leads?: number; rssMb?: number; peakRssMb?: number; seconds?: number }

export function reportLiveMemory(run: ToolResult): void {
  if (run.code !== 0) throw new Error(`loadgen failed (${run.code}):\n${run.stderr}`);
  const lines = run.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as LogLine);
  const stats = lines.filter((l) => l.msg === "throughput");
  const done = lines.find((l) => l.msg === "done");
  const first = stats[0];
  const last = stats.at(-1);
  if (!first || !last || !done) throw new Error(`expected throughput and done lines from loadgen:\n${run.stderr}`);
  console.log(`live: ${done.leads} leads in ${done.seconds?.toFixed(0)} s at the default rate`);
  const at = (line: LogLine) => Math.round((line.time - first.time) / 1000) + STATS_INTERVAL_SECONDS;
  console.log(`RSS at ${at(first)} s: ${first.rssMb} MB; at ${at(last)} s: ${last.rssMb} MB; peak ${done.peakRssMb} MB`);
  const perMinute = stats.filter((line, i) => i === 0 || at(line) % 60 < STATS_INTERVAL_SECONDS);
  console.log(`RSS by the minute: ${perMinute.map((line) => `${at(line)} s ${line.rssMb} MB`).join(", ")}`);
}
