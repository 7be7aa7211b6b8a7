// The pure parts of the compose e2e test (test/e2e/), checked without Docker: the judge of a
// card's numbers and the reader of Docker's multiplexed log stream.

import { describe, expect, it } from "vitest";
import { demultiplex } from "../e2e/compose-stack.ts";
import { cardProblems, type CardResult } from "../e2e/metabase-cards.ts";

const latestWindow = (rows: unknown[][]): CardResult => ({
  id: 1,
  name: "Latest window per bucket",
  columns: ["experiment_bucket", "window_end", "num_leads", "precision", "recall", "net_revenue_per_lead_dollars"],
  rows,
});

describe("the e2e judge of a card's numbers", () => {
  it("accepts ratios in [0, 1], a positive lead count and finite money", () => {
    expect(cardProblems(latestWindow([
      ["control", "2026-11-27T05:00:30Z", 480, 0.62, 0.71, 3.15],
      ["experiment", "2026-11-27T05:00:30Z", 1920, 1, 0, -0.4],
    ]))).toEqual([]);
  });

  it("accepts a NULL ratio in some rows (a zero denominator) but not in all", () => {
    expect(cardProblems(latestWindow([["control", "2026-11-27T05:00:30Z", 3, null, 0.5, 1]]))).toEqual([
      '"Latest window per bucket": precision is NULL in every row',
    ]);
  });

  it("names each value out of range", () => {
    expect(cardProblems(latestWindow([["treatment", "not a time", 0, 1.2, -0.1, Number.NaN]]))).toEqual([
      '"Latest window per bucket" row 0 experiment_bucket = "treatment", wanted control, experiment or unknown',
      '"Latest window per bucket" row 0 window_end = "not a time", wanted a timestamp',
      '"Latest window per bucket" row 0 num_leads = 0, wanted a whole number > 0',
      '"Latest window per bucket" row 0 precision = 1.2, wanted a ratio in [0, 1]',
      '"Latest window per bucket" row 0 recall = -0.1, wanted a ratio in [0, 1]',
      '"Latest window per bucket" row 0 net_revenue_per_lead_dollars = null, wanted a finite amount of money',
    ]);
  });

  it("reports a card without rows", () => {
    expect(cardProblems(latestWindow([]))).toEqual(['"Latest window per bucket": no rows yet']);
  });
});

describe("the reader of Docker's log stream", () => {
  const frame = (stream: 1 | 2, text: string) => {
    const payload = Buffer.from(text, "utf8");
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  };

  it("splits stdout from stderr and keeps the order within each", () => {
    const raw = Buffer.concat([frame(1, "public dashboard\n"), frame(2, '{"level":30}\n'), frame(1, "http://127.0.0.1:3000/dashboard/7\n")]);
    expect(demultiplex(raw)).toEqual({
      stdout: "public dashboard\nhttp://127.0.0.1:3000/dashboard/7\n",
      stderr: '{"level":30}\n',
    });
  });
});
