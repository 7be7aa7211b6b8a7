// npm run alerts -- --webhook <url>: each transition is POSTed as JSON, in order, against a real
// HTTP receiver on 127.0.0.1. Failures are retried with backoff, a refusal (4xx) is not, a
// receiver that is down costs warnings but never blocks the sender, and a full queue drops its
// oldest entry.

import { afterEach, describe, expect, it } from "vitest";
import { WebhookSender } from "../../alerts/webhook.ts";
import { downWebhookUrl, webhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(statusOf: (n: number) => number, hold?: () => Promise<void>): Promise<WebhookReceiver> {
  const started = await webhookReceiver(statusOf, hold);
  receivers.push(started);
  return started;
}

const transition = (n: number) => ({ event: "start", rule_name: `rule_${n}`, subject: null });

describe("the alert webhook", () => {
  it("retries a receiver that fails its first two requests, with growing waits, and delivers everything in order", async () => {
    const hook = await receiver((n) => (n <= 2 ? 503 : 200));
    const warnings: string[] = [];
    const sender = new WebhookSender({ url: hook.url, retryMs: 5_000, initialDelayMs: 40, warn: (w) => warnings.push(w) });
    [1, 2, 3].forEach((n) => sender.send(transition(n)));
    expect(await sender.flush(5_000)).toBe(true);
    expect(hook.bodies).toEqual([transition(1), transition(2), transition(3)]);
    expect(sender.stats).toEqual({ delivered: 3, dropped: 0, attempts: 5 });
    // Waits of 40 ms then 80 ms before the second and third attempts (timers never fire early).
    expect(hook.times[1]! - hook.times[0]!).toBeGreaterThanOrEqual(35);
    expect(hook.times[2]! - hook.times[1]!).toBeGreaterThanOrEqual(75);
    expect(warnings).toEqual([expect.stringMatching(/webhook failed \(the webhook answered HTTP 503\); retrying with backoff from 40 ms/)]);
  });

  it("gives up on a receiver that is down after the retry time, and says so once per transition", async () => {
    const warnings: string[] = [];
    const sender = new WebhookSender({ url: await downWebhookUrl(), retryMs: 300, initialDelayMs: 20, warn: (w) => warnings.push(w) });
    const before = performance.now();
    sender.send(transition(1));
    sender.send(transition(2));
    // Enqueueing returned before the first retry was even due: the stream never waits on the webhook.
    expect(performance.now() - before).toBeLessThan(300);
    expect(await sender.flush(5_000)).toBe(true);
    expect(sender.stats.delivered).toBe(0);
    expect(sender.stats.dropped).toBe(2);
    expect(sender.stats.attempts).toBeGreaterThan(4);
    expect(warnings.filter((w) => /gave up/.test(w))).toEqual([
      expect.stringMatching(/gave up on one transition \(start rule_1\): could not POST the alert to the webhook within 0\.3 s.*could not be reached.*ECONNREFUSED/),
      expect.stringMatching(/gave up on one transition \(start rule_2\)/),
    ]);
  });

  it("does not retry a transition the receiver refuses with a 4xx", async () => {
    const hook = await receiver((n) => (n === 1 ? 400 : 200));
    const warnings: string[] = [];
    const sender = new WebhookSender({ url: hook.url, retryMs: 5_000, initialDelayMs: 20, warn: (w) => warnings.push(w) });
    sender.send(transition(1));
    sender.send(transition(2));
    expect(await sender.flush(5_000)).toBe(true);
    expect(hook.bodies).toEqual([transition(2)]);
    expect(sender.stats).toEqual({ delivered: 1, dropped: 1, attempts: 2 });
    expect(warnings).toEqual([expect.stringMatching(/gave up on one transition \(start rule_1\): the webhook answered HTTP 400/)]);
  });

  it("drops the oldest waiting transition when the queue is full, never the one in flight", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const hook = await receiver(() => 200, () => released);
    const warnings: string[] = [];
    const sender = new WebhookSender({ url: hook.url, retryMs: 5_000, maxQueued: 2, warn: (w) => warnings.push(w) });
    [1, 2, 3, 4].forEach((n) => sender.send(transition(n)));
    release();
    expect(await sender.flush(5_000)).toBe(true);
    expect(hook.bodies).toEqual([transition(1), transition(3), transition(4)]);
    expect(sender.stats).toEqual({ delivered: 3, dropped: 1, attempts: 3 });
    expect(warnings).toEqual([expect.stringMatching(/queue full \(2\); dropped the oldest/)]);
  });
});
