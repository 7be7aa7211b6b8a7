// The duplicate_predictions bound has a second half (docs/monitoring.md §3): besides being
// noticed within 30 s, a run with every prediction sent three times must show the very same
// classifier_metrics as the same run without the incident. `npm run evaluate` runs both (same
// seed, same duration) into two reference engines; the test reads classifier_metrics from each
// at several evaluation times, incident included, and compares them row for row. So that the
// comparison cannot pass vacuously, it also checks that the duplicated run really stored more
// raw messages than leads, and that both runs show windows.

import { describe, expect, it } from "vitest";
import { createTestDatabase, withClient } from "../helpers/postgres.ts";
import { runTool } from "../helpers/run-tool.ts";
import { usePostgres } from "../helpers/services.ts";
import { metricsAt } from "../sql/support/metrics.ts";

const server = await usePostgres();
const DURATION = "420s";
const RUN_START_MS = Date.parse("2026-01-01T00:00:00Z");
/** Before, during (the incident starts at 6 min) and at the end of the run. */
const EVALUATION_OFFSETS_S = [300, 375, 400, 420];

describe.skipIf(!server.available)("the duplicate-predictions scenario", () => {
  it("leaves classifier_metrics identical to the same run without duplicates, while three copies of each prediction arrive", async () => {
    if (!server.available) return;
    await using steady = await createTestDatabase(server.adminUrl);
    await using duplicated = await createTestDatabase(server.adminUrl);
    for (const [scenario, db] of [["steady", steady], ["duplicate-predictions", duplicated]] as const) {
      const result = await runTool("evaluate/main.ts", ["--scenario", scenario, "--duration", DURATION, "--seed", "42", "--url", db.url, "--json"], { timeoutMs: 300_000 });
      expect(result.code, `evaluate ${scenario} exited ${result.code}:\n${result.stderr}`).toBe(0);
    }
    const steadyCounts = await counts(steady.url);
    const duplicatedCounts = await counts(duplicated.url);
    expect(duplicatedCounts.leads).toBe(steadyCounts.leads);
    expect(steadyCounts.messages).toBe(steadyCounts.leads);
    expect(duplicatedCounts.messages, "the incident sent no extra copies").toBeGreaterThan(duplicatedCounts.leads);

    for (const offsetS of EVALUATION_OFFSETS_S) {
      const atMs = RUN_START_MS + offsetS * 1000;
      const at = new Date(atMs).toISOString();
      const expected = await withClient(steady.url, (client) => metricsAt(client, atMs));
      const actual = await withClient(duplicated.url, (client) => metricsAt(client, atMs));
      expect(expected.length, `no windows at ${at}`).toBeGreaterThan(100);
      expect(actual, `classifier_metrics at lab.now = ${at}`).toEqual(expected);
    }
  });
});

async function counts(url: string): Promise<{ leads: number; messages: number }> {
  const { rows } = await withClient(url, (client) =>
    client.query<{ leads: string; messages: string }>(
      "select (select count(*) from leads) as leads, (select count(*) from conversion_predictions_raw) as messages",
    ),
  );
  return { leads: Number(rows[0]?.leads), messages: Number(rows[0]?.messages) };
}
