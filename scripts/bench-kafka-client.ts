// The producer's cost per message, for the two Kafka clients the lab has used: the generator's
// producer (@platformatic/kafka) and kafkajs, which it replaced. Each sends the same prediction-
// shaped messages in sends of 1,000, as the generator does, acknowledged by all in-sync
// replicas, to a fresh topic on LAB_KAFKA_BROKERS (deleted afterwards), and prints the wall time
// and the process's CPU time per message. Measures, asserts nothing. Run each client in turn,
// several times (the README's Benchmark section has the figures):
//
//   node --import tsx scripts/bench-kafka-client.ts --client platformatic   (or kafkajs)

import { parseArgs } from "node:util";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { compatibilityPartitioner, Producer, ProduceAcks, stringSerializers } from "@platformatic/kafka";
import { loadTestServicesConfig } from "../config/test-services.ts";
import { deleteTopics, TEST_TOPIC_PREFIX } from "../test/helpers/kafka.ts";
import { ensureTopic } from "../loadgen/sinks/kafka-client.ts";

const { values } = parseArgs({ options: { client: { type: "string" }, messages: { type: "string", default: "200000" } } });
const brokers = loadTestServicesConfig().kafkaBrokers;
if (!brokers) throw new Error("set LAB_KAFKA_BROKERS to the broker to measure against");
if (values.client !== "platformatic" && values.client !== "kafkajs") throw new Error("--client must be platformatic or kafkajs");
const total = Number(values.messages);
const topic = `${TEST_TOPIC_PREFIX}bench_client_${Date.now().toString(36)}`;
const kafka = new Kafka({ clientId: "lab-bench", brokers, logLevel: logLevel.NOTHING });
await ensureTopic(kafka, topic);

const value = (leadId: number) => JSON.stringify({
  lead_id: leadId, experiment_bucket: leadId % 2 ? "experiment" : "control", score: 0.4242, label: false,
  threshold: 0.5, model_version: "model-v1", predicted_at: "2026-01-01T00:00:00.000+00:00",
});

try {
  const send = await openProducer(values.client);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let first = 1; first <= total; first += 1_000) {
    const messages = Array.from({ length: Math.min(1_000, total - first + 1) }, (_, i) => ({ key: String(first + i), value: value(first + i) }));
    await send.messages(messages);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await send.close();
  console.log(`${values.client}: ${total} messages in ${seconds.toFixed(2)} s, CPU ${(((cpu.user + cpu.system) / total)).toFixed(1)} µs per message`);
} finally {
  await deleteTopics(brokers, [topic]);
}

async function openProducer(client: "platformatic" | "kafkajs") {
  if (client === "kafkajs") {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    return {
      messages: async (messages: { key: string; value: string }[]) => void (await producer.send({ topic, acks: -1, messages })),
      close: () => producer.disconnect(),
    };
  }
  const producer = new Producer({ clientId: "lab-bench", bootstrapBrokers: brokers!, serializers: stringSerializers, acks: ProduceAcks.ALL, partitioner: compatibilityPartitioner });
  return {
    messages: async (messages: { key: string; value: string }[]) => void (await producer.send({ messages: messages.map((m) => ({ ...m, topic })) })),
    close: () => producer.close(),
  };
}
