// One line per transition: for a person (text) or for a program (JSON lines, the same object a
// webhook receives).

import type { AlertTransition } from "./state.ts";

export type OutputFormat = "text" | "json";

/** The JSON a webhook receives and `--format json` prints: times as ISO 8601 UTC. */
export function transitionJson(transition: AlertTransition, observedAt: Date): Record<string, unknown> {
  return {
    event: transition.event,
    rule_name: transition.rule_name,
    subject: transition.subject,
    signal: transition.signal,
    window_end: transition.window_end.toISOString(),
    value: transition.value,
    threshold: transition.threshold,
    observed_at: observedAt.toISOString(),
  };
}

const iso = (date: Date) => date.toISOString().replace(/\.000Z$/, "Z");

export function transitionLine(transition: AlertTransition, observedAt: Date, format: OutputFormat): string {
  if (format === "json") return JSON.stringify(transitionJson(transition, observedAt));
  const subject = transition.subject === null ? "" : ` [${transition.subject}]`;
  const what = transition.event === "start" ? "START  " : "RESOLVE";
  const when = transition.event === "start" ? "in the window ending" : "last fired in the window ending";
  return `${iso(observedAt)} ${what} ${transition.rule_name}${subject}: ${transition.signal} = ${transition.value} ` +
    `(threshold ${transition.threshold}), ${when} ${iso(transition.window_end)}`;
}
