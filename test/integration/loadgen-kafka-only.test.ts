// `--sink kafka` alone is refused at start-up (exit 2): only Postgres records where a run
// stopped, so a Kafka-only generator would start at lead 1 on every run and re-send old lead
// ids with new times. Checked against the real broker: nothing reaches it, not even the topic.

import { randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { runTool } from "../helpers/run-tool.ts";
import { useKafka } from "../helpers/services.ts";

const kafka = await useKafka();

describe.skipIf(!kafka.available)("the load generator with --sink kafka alone", () => {
  it("exits 2 naming the flag and the fix, and creates or sends nothing on the broker", async () => {
    if (!kafka.available) return;
    const topic = `kafka_only_${randomBytes(4).toString("hex")}`;
    const admin = new Kafka({ clientId: "lab-test-kafka-only", brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      for (const [args, env, field] of [
        [["--sink", "kafka"], {}, "--sink"],
        [[], { LOADGEN_SINK: "kafka" }, "LOADGEN_SINK"],
      ] as const) {
        const run = await runTool("loadgen/main.ts", ["--mode", "fast", "--leads", "20", ...args], {
          env: { ...env, KAFKA_BROKERS: kafka.brokers.join(","), KAFKA_TOPIC: topic },
          timeoutMs: 60_000,
        });
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain(`invalid configuration: ${field} = "kafka"`);
        expect(run.stderr).toContain("--sink postgres,kafka");
      }
      expect(await admin.listTopics(), "the refused runs never reached the broker").not.toContain(topic);
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => {}); // only if a run wrongly created it
      await admin.disconnect();
    }
  });
});
