// What scripts/leftovers.ts reports after a test run (CI fails on any of it).

import { describe, expect, it } from "vitest";
import { leftoverProcesses, newTopics, PRIVATE_STATE_PREFIX } from "../../scripts/leftovers/find.ts";

const repo = "/checkout/ml-monitoring-lab";

describe("the leftovers of a test run", () => {
  it("are the topics that appeared on the broker during the run, internal topics aside", () => {
    expect(newTopics(["conversion_predictions"], ["conversion_predictions", "lab_test_fast_run_1a2b", "__consumer_offsets", "bench_x"]))
      .toEqual(["bench_x", "lab_test_fast_run_1a2b"]);
  });

  it("include a private broker or Postgres, whatever its working directory", () => {
    const broker = { pid: 10, command: `java -cp lib/* kafka.Kafka /scratch/${PRIVATE_STATE_PREFIX}kafka-x/kafka/server.properties`, cwd: "/" };
    const postgres = { pid: 11, command: `/usr/lib/postgresql/15/bin/postgres -D /scratch/${PRIVATE_STATE_PREFIX}postgres-y/postgres/data`, cwd: undefined };
    expect(leftoverProcesses([broker, postgres], repo, 1).map((p) => p.pid)).toEqual([10, 11]);
  });

  it("include a lab tool or a vitest worker of this checkout, but not one of another checkout or this checker", () => {
    const generator = { pid: 20, command: "/usr/bin/node --import tsx loadgen/main.ts --mode fast", cwd: repo };
    const elsewhere = { pid: 21, command: "/usr/bin/node --import tsx loadgen/main.ts", cwd: "/other/checkout" };
    const shared = { pid: 22, command: "java -cp lib/* kafka.Kafka /data/ci/kafka/server.properties", cwd: repo };
    const self = { pid: 23, command: `node scripts/leftovers.ts check /scratch/${PRIVATE_STATE_PREFIX}none`, cwd: repo };
    const worker = { pid: 24, command: "node (vitest 1)", cwd: repo };
    expect(leftoverProcesses([generator, elsewhere, shared, self, worker], repo, 23).map((p) => p.pid)).toEqual([20, 24]);
  });
});
