// npm run alerts -- [--url <engine>] [--format text|json] [--poll-seconds <n>] [--webhook <url>]
//
// Follows monitoring_alerts and prints each alert (one rule about one subject) as it starts and
// as it resolves, one line per transition (alerts/state.ts says when). On Materialize the rows
// arrive by SUBSCRIBE; on the reference engine they are polled with `lab.now` at the wall clock.
// With --webhook, each transition is also POSTed as JSON (alerts/webhook.ts): the stream never
// waits for it, and a failing webhook never stops it.
// Exit codes: 0 stopped by Ctrl-C/SIGTERM; 1 the engine could not be read at start; 2 bad configuration.

import { Command } from "commander";
import { setTimeout as sleep } from "node:timers/promises";
import { alertsConfig, ALERTS_SETTINGS } from "../config/alerts.ts";
import { parseCommandLine } from "../config/cli.ts";
import { readEnv } from "../config/env.ts";
import { exitOnConfigError } from "../config/errors.ts";
import { redactUrl } from "../config/redact.ts";
import { addOptions, type CliValues } from "../config/settings.ts";
import { describe } from "../loadgen/retry.ts";
import { transitionJson, transitionLine } from "./format.ts";
import { openAlertSource, type AlertSource } from "./source.ts";
import { nextTransitions, type FiringRow } from "./state.ts";
import { WebhookSender } from "./webhook.ts";

const MAX_RECONNECT_DELAY_MS = 10_000;
const WEBHOOK_FLUSH_ON_STOP_MS = 2_000;

const program = addOptions(new Command("alerts").description("Prints each alert of monitoring_alerts as it starts and resolves."), ALERTS_SETTINGS);
const config = exitOnConfigError(() => alertsConfig(parseCommandLine<CliValues<typeof ALERTS_SETTINGS>>(program, process.argv.slice(2)), readEnv()));
const warn = (line: string) => process.stderr.write(`${line}\n`);
const webhook = config.webhook === undefined ? undefined
  : new WebhookSender({ url: config.webhook, retryMs: config.webhookRetrySeconds * 1000, warn });
const stop = new AbortController();

let source: AlertSource | undefined;
try {
  source = await openAlertSource(config.url);
} catch (error) {
  warn(`alerts: could not follow ${redactUrl(config.url)}: ${describe(error)}`);
  process.exit(1);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stop.abort();
    void source?.close().catch(() => {});
  });
}
// A webhook's path often holds its secret (chat services put the token there): only its origin is shown.
const how = source.engine === "materialize" ? "SUBSCRIBE" : `polling every ${config.pollSeconds} s with lab.now at the wall clock`;
warn(`alerts: following monitoring_alerts on the ${source.engine} engine at ${redactUrl(config.url)} (${how})${webhook ? `; POSTing to a webhook at ${new URL(config.webhook!).origin}` : ""}`);

let firing = new Map<string, FiringRow>();
let failures = 0;
while (!stop.signal.aborted) {
  try {
    source ??= await openAlertSource(config.url);
    for (const rows of await source.read()) report(rows, new Date());
    failures = 0;
  } catch (error) {
    if (stop.signal.aborted) break;
    // A restarting engine: say so, reconnect with backoff; the firing state carries over.
    failures += 1;
    warn(`alerts: read failed (${failures} in a row), reconnecting: ${describe(error)}`);
    await source?.close().catch(() => {});
    source = undefined;
    await sleep(Math.min(500 * 2 ** (failures - 1), MAX_RECONNECT_DELAY_MS), undefined, { signal: stop.signal }).catch(() => {});
    continue;
  }
  if (source.engine === "reference") await sleep(config.pollSeconds * 1000, undefined, { signal: stop.signal }).catch(() => {});
}
await source?.close().catch(() => {});
if (webhook && !(await webhook.flush(WEBHOOK_FLUSH_ON_STOP_MS))) warn("alerts: stopped with webhook deliveries still pending");
process.exit(0);

function report(rows: FiringRow[], observedAt: Date): void {
  const next = nextTransitions(firing, rows);
  firing = next.firing;
  for (const transition of next.transitions) {
    process.stdout.write(`${transitionLine(transition, observedAt, config.format)}\n`);
    webhook?.send(transitionJson(transition, observedAt));
  }
}
