// How the producer thread (kafka-thread.ts) shapes its requests and judges their failures.

import { TimeoutError } from "@platformatic/kafka";

/**
 * A broker refuses a record batch over its `message.max.bytes` (Apache Kafka and Redpanda:
 * 1 MiB by default) with MESSAGE_TOO_LARGE, and one send of a partition's messages is one
 * record batch: 10,000 predictions (the largest --batch-size) are about 2 MB, so they go in parts.
 */
export const MAX_REQUEST_BYTES = 768 * 1024;

/** Per record, besides key and value: length varints, offset and timestamp deltas, attributes. */
const RECORD_FRAMING_BYTES = 32;

/** The messages in order, in runs whose records add up to at most `maxBytes` (a larger one goes alone). */
export function* chunksUnder<T extends { key: string | Uint8Array; value: string | Uint8Array }>(maxBytes: number, messages: readonly T[]): Generator<T[]> {
  let chunk: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.key) + Buffer.byteLength(message.value) + RECORD_FRAMING_BYTES;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The client marks each error `canRetry` and reports a failed request as one error per attempt:
 * worth another try when every attempt failed in a way it marks retriable, or timed out.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.length > 0) return nested.every(isRetriableKafkaError);
  return (error as { canRetry?: unknown }).canRetry === true || error instanceof TimeoutError;
}
