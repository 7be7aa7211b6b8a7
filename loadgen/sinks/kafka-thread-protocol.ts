// What the Kafka sink (main thread) and its producer thread say to each other.

export interface ThreadData {
  brokers: readonly string[];
  topic: string;
  clientId?: string;
}

export type ThreadRequest =
  | { id: number; op: "ensure-topic" | "connect" | "disconnect" }
  | { id: number; op: "send"; messages: { key: string; value: string }[] };

export type ThreadReply =
  | { kind: "done"; id: number }
  | { kind: "failed"; id: number; error: { name: string; message: string; transient: boolean } }
  | { kind: "warn"; message: string; detail: Record<string, unknown> };
