// A webhook receiver on 127.0.0.1 for the alert follower's tests: it answers each request with
// the status `statusOf(n)` gives (n counts requests from 1), after `hold()`, and keeps the JSON
// bodies it accepted (status < 300) in order. Close it in an afterAll/afterEach.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookReceiver {
  url: string;
  bodies: Array<Record<string, unknown>>;
  /** performance.now() of each request, accepted or not. */
  times: number[];
  server: Server;
  close(): Promise<void>;
}

export async function webhookReceiver(statusOf: (n: number) => number, hold: () => Promise<void> = async () => {}): Promise<WebhookReceiver> {
  const server = createServer();
  const receiver: WebhookReceiver = {
    url: "", bodies: [], times: [], server,
    close: () => new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
  server.on("request", (request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", async () => {
      receiver.times.push(performance.now());
      const status = statusOf(receiver.times.length);
      if (status < 300) receiver.bodies.push(JSON.parse(text) as Record<string, unknown>);
      await hold();
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  return receiver;
}

/** The URL of a receiver that is down: a port that was just listening and is now closed. */
export async function downWebhookUrl(): Promise<string> {
  const gone = await webhookReceiver(() => 200);
  await gone.close();
  return gone.url;
}
