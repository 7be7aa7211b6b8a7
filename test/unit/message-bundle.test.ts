// Kafka messages cross to the producer's thread as one transferred buffer: what comes out is,
// byte for byte, what each message's key and value encode to on their own.

import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { bundleMessages, transferablesOf, unbundleMessages, type MessageBundle } from "../../loadgen/sinks/message-bundle.ts";

const messages = [
  { key: "1", value: '{"lead_id":1,"score":0.25}' },
  { key: "22", value: "é€😀 multi-byte" },
  { key: "", value: "" },
  { key: "333", value: "last" },
];

/** Posts the bundle as the sink does (buffers transferred) and reads it on the other port. */
function acrossThreads(bundle: MessageBundle): MessageBundle {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(bundle, transferablesOf(bundle));
  const received = receiveMessageOnPort(port2)?.message as MessageBundle;
  port1.close();
  return received;
}

describe("a bundle of Kafka messages", () => {
  it("gives back every key and value as the UTF-8 bytes of the original, in order", () => {
    const out = unbundleMessages(bundleMessages(messages));
    expect(out.map((m) => [m.key.toString("utf8"), m.value.toString("utf8")])).toEqual(messages.map((m) => [m.key, m.value]));
    expect(out.map((m) => m.value.length)).toEqual(messages.map((m) => Buffer.from(m.value, "utf8").length));
  });

  it("gives back the UTF-8 bytes of each piece for an all-ASCII batch too (counted in characters)", () => {
    const ascii = [{ key: "7", value: '{"lead_id":7,"label":true}' }, { key: "", value: "x" }, { key: "1000000", value: "" }];
    const bundle = bundleMessages(ascii);
    expect([...bundle.ends]).toEqual([1, 27, 27, 28, 35, 35]);
    expect(unbundleMessages(bundle).map((m) => [m.key, m.value])).toEqual(ascii.map((m) => [Buffer.from(m.key), Buffer.from(m.value)]));
  });

  it("arrives intact on the other side of a port, and the sender's buffers are handed over, not copied", () => {
    const bundle = bundleMessages(messages);
    const received = acrossThreads(bundle);
    expect(bundle.bytes.byteLength).toBe(0); // detached: the bytes moved
    expect(unbundleMessages(received).map((m) => m.value.toString("utf8"))).toEqual(messages.map((m) => m.value));
  });

  it("reads a bundle whose bytes are a view into a larger buffer from the view's own offset", () => {
    const { bytes, ends } = bundleMessages(messages);
    const padded = new Uint8Array(bytes.length + 5);
    padded.set(bytes, 5);
    const out = unbundleMessages({ bytes: padded.subarray(5), ends });
    expect(out.map((m) => m.key.toString("utf8"))).toEqual(messages.map((m) => m.key));
  });

  it("keeps each piece's own bytes when one ends in half a surrogate pair and the next begins with the other half", () => {
    const halves = [{ key: "1", value: "a\ud83d" }, { key: "\ude00", value: "b" }];
    const out = unbundleMessages(bundleMessages(halves));
    expect(out.map((m) => [m.key, m.value])).toEqual(halves.map((m) => [Buffer.from(m.key), Buffer.from(m.value)]));
  });

  it("bundles no messages into nothing", () => {
    expect(unbundleMessages(bundleMessages([]))).toEqual([]);
  });
});
