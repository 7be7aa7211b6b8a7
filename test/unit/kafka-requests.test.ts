// The producer thread's request shaping and failure judgement, against hand-computed sizes and
// the client's own error classes.

import { MultipleErrors, NetworkError, ProtocolError, TimeoutError } from "@platformatic/kafka";
import { describe, expect, it } from "vitest";
import { chunksUnder, isRetriableKafkaError } from "../../loadgen/sinks/kafka-requests.ts";

const message = (key: string, valueBytes: number) => ({ key, value: "v".repeat(valueBytes) });

describe("splitting a send into requests under the broker's record-batch limit", () => {
  it("keeps every message, in order, and no run over the limit (each record: key + value + 32 bytes)", () => {
    // Records of 1 + 67 + 32 = 100 bytes: three fit in 300 bytes, a fourth does not.
    const messages = Array.from({ length: 10 }, (_, i) => message(String(i), 67));
    const chunks = [...chunksUnder(300, messages)];
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flat()).toEqual(messages);
  });

  it("counts UTF-8 bytes, not characters", () => {
    // "é" is two bytes: 1 + 2 × 34 + 32 = 101 bytes per record, so only two fit in 300.
    const messages = Array.from({ length: 4 }, (_, i) => ({ key: String(i), value: "é".repeat(34) }));
    expect([...chunksUnder(300, messages)].map((c) => c.length)).toEqual([2, 2]);
  });

  it("sends a message larger than the limit alone (the broker then names the problem)", () => {
    const messages = [message("a", 10), message("b", 1_000), message("c", 10)];
    expect([...chunksUnder(300, messages)].map((c) => c.map((m) => m.key))).toEqual([["a"], ["b"], ["c"]]);
  });

  it("yields nothing for no messages", () => {
    expect([...chunksUnder(300, [])]).toEqual([]);
  });
});

describe("judging a failed Kafka request", () => {
  it("retries a lost connection and a timeout", () => {
    expect(isRetriableKafkaError(new NetworkError("Connection closed"))).toBe(true);
    expect(isRetriableKafkaError(new TimeoutError("Request timed out"))).toBe(true);
  });

  it("retries when every attempt failed in a retriable way, not when one did not", () => {
    const attempts = [new NetworkError("refused"), new ProtocolError("NOT_LEADER_OR_FOLLOWER")];
    expect(isRetriableKafkaError(new MultipleErrors("Produce failed 2 times.", attempts))).toBe(true);
    const withTooLarge = [...attempts, new ProtocolError("MESSAGE_TOO_LARGE")];
    expect(isRetriableKafkaError(new MultipleErrors("Produce failed 3 times.", withTooLarge))).toBe(false);
  });

  it("does not retry an error that says nothing about retrying", () => {
    expect(isRetriableKafkaError(new Error("a bug"))).toBe(false);
    expect(isRetriableKafkaError(new MultipleErrors("none", []))).toBe(false);
  });
});
