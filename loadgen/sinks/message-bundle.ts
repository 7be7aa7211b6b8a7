// How a batch of Kafka messages crosses from the main thread to the producer's thread
// (kafka.ts → kafka-thread.ts): every key and value as UTF-8 bytes, back to back, in one
// buffer that is transferred, not copied, plus where each key and value ends. Posting the
// messages as objects cost a structured clone per message on the main thread (about a tenth of
// its time in a fast run) and, on the producer's thread, a copy per key and value into bytes;
// now the main thread encodes once per batch and the producer reads views of the buffer.

export interface MessageBundle {
  /** Keys and values, UTF-8, in order: key 0, value 0, key 1, value 1, … */
  bytes: Uint8Array;
  /** Two per message: the end of its key and the end of its value in `bytes` (exclusive). */
  ends: Int32Array;
}

export interface KeyedBytes {
  key: Buffer;
  value: Buffer;
}

const encoder = new TextEncoder();

/** Bundles the messages; each `key` and `value` is counted in UTF-8 bytes, as it is encoded. */
export function bundleMessages(messages: readonly { key: string; value: string }[]): MessageBundle {
  const ends = new Int32Array(messages.length * 2);
  let text = "";
  for (let i = 0; i < messages.length; i++) {
    const { key, value } = messages[i]!;
    text += key;
    ends[2 * i] = text.length;
    text += value;
    ends[2 * i + 1] = text.length;
  }
  const bytes = encoder.encode(text);
  // As many bytes as characters: all ASCII (any other character takes two bytes or more, and
  // a lone surrogate three), so the ends counted in characters are the ends in bytes. The lab's
  // messages are; any other batch is counted and encoded piece by piece.
  if (bytes.length === text.length) return { bytes, ends };
  return encodeEachPiece(messages);
}

/** Each piece counted and encoded on its own (a piece ending in half a surrogate pair stays apart from the next). */
function encodeEachPiece(messages: readonly { key: string; value: string }[]): MessageBundle {
  const ends = new Int32Array(messages.length * 2);
  let end = 0;
  for (let i = 0; i < messages.length; i++) {
    ends[2 * i] = end += Buffer.byteLength(messages[i]!.key);
    ends[2 * i + 1] = end += Buffer.byteLength(messages[i]!.value);
  }
  const bytes = new Uint8Array(end);
  let offset = 0;
  for (const { key, value } of messages) {
    offset += encoder.encodeInto(key, bytes.subarray(offset)).written;
    offset += encoder.encodeInto(value, bytes.subarray(offset)).written;
  }
  return { bytes, ends };
}

/** What the transfer list of the bundle's postMessage holds: its buffers change owner. */
export const transferablesOf = (bundle: MessageBundle): ArrayBuffer[] => [bundle.bytes.buffer as ArrayBuffer, bundle.ends.buffer as ArrayBuffer];

/** The messages again, as views of the bundle's bytes (nothing is copied). */
export function unbundleMessages(bundle: MessageBundle): KeyedBytes[] {
  const { bytes, ends } = bundle;
  const messages: KeyedBytes[] = new Array(ends.length / 2);
  let start = 0;
  for (let i = 0; i < messages.length; i++) {
    const keyEnd = ends[2 * i]!;
    const valueEnd = ends[2 * i + 1]!;
    messages[i] = {
      key: Buffer.from(bytes.buffer, bytes.byteOffset + start, keyEnd - start),
      value: Buffer.from(bytes.buffer, bytes.byteOffset + keyEnd, valueEnd - keyEnd),
    };
    start = valueEnd;
  }
  return messages;
}
