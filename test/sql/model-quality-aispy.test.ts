// The seed's generator (profile aispy), run in fast mode in-process, through the SQL on the
// reference engine: model_quality_metrics lands on the values derived on paper in
// test/unit/aispy-model-quality-analytic.ts (control: AUC 5/6 less the bins' 1/30 000, log
// loss 1/2, Brier 1/6, calibrated; experiment: calibration_ratio 7/6 from the coupons).
//
// 100,000 leads arrive at 2,000/s (50 s). At the evaluation time every window holding any of
// them is visible and each lead is in exactly 30, so count-weighted sums over the windows
// are 30 times the lead-level sums (means over all 20,000 control leads). AUC and ECE do not
// add up over windows: they are checked on one full window (about 12,000 control leads).
// Tolerance: 4 standard errors, each from the analytic variance.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProfile } from "../../loadgen/sim/profiles/index.ts";
import { simulate } from "../../loadgen/sim/simulate.ts";
import { usePostgres } from "../helpers/services.ts";
import {
  AISPY_CONTROL_MODEL_QUALITY as CONTROL,
  AISPY_EXPERIMENT_CALIBRATION,
  aucStandardError,
  calibratedEce,
  experimentCalibrationRatioSe,
} from "../unit/aispy-model-quality-analytic.ts";
import { insertDataset, type Dataset } from "./support/dataset.ts";
import { modelQualityAt, type ModelQualityRow, type ReliabilityRow } from "./support/model-quality.ts";
import { referenceDatabase, type ReferenceDatabase } from "./support/reference-db.ts";

const pg = await usePostgres();

const LEADS = 100_000;
const RATE_PER_SECOND = 2_000;
const START_MS = Date.UTC(2026, 0, 1);
const WINDOWS_PER_LEAD = 30;
const STANDARD_ERRORS = 4;

function generateAispy(): { data: Dataset; lastCreatedMs: number } {
  const data: Dataset = { leads: [], coupons: [], predictions: [] };
  let lastCreatedMs = START_MS;
  for (const step of simulate({ seed: "sql-aispy-quality", profile: makeProfile("aispy"), startMs: START_MS, firstLeadId: 1, ratePerSecond: RATE_PER_SECOND, leads: LEADS })) {
    if (step.kind !== "arrival") continue; // conversions are already in the plan
    const { lead, prediction, coupon, conversion } = step.plan;
    const createdAtMs = Date.parse(lead.created_at);
    lastCreatedMs = Math.max(lastCreatedMs, createdAtMs);
    data.leads.push(conversion ? { id: lead.id, createdAtMs, convertedAtMs: Date.parse(conversion.converted_at), conversionAmountCents: conversion.conversion_amount } : { id: lead.id, createdAtMs });
    const { type: _type, ...message } = prediction;
    data.predictions.push(message);
    if (coupon) data.coupons.push({ id: coupon.id, leadId: coupon.lead_id, amountCents: coupon.amount, createdAtMs: Date.parse(coupon.created_at) });
  }
  return { data, lastCreatedMs };
}

/** Lead-level means from count-weighted sums over all windows of one bucket. */
function leadMeans(rows: readonly ModelQualityRow[]) {
  const weighted = (pick: (r: ModelQualityRow) => number | null) => rows.reduce((total, r) => total + (pick(r) ?? 0) * r.num_scored, 0);
  const scored = rows.reduce((total, r) => total + r.num_scored, 0);
  const positives = rows.reduce((total, r) => total + r.num_positive, 0);
  return {
    leads: scored / WINDOWS_PER_LEAD,
    logLoss: weighted((r) => r.log_loss) / scored,
    brier: weighted((r) => r.brier_score) / scored,
    meanScore: weighted((r) => r.mean_score) / scored,
    calibrationRatio: positives / weighted((r) => r.mean_score),
  };
}

function expectWithin(actual: number, expected: number, standardError: number, what: string): void {
  const tolerance = STANDARD_ERRORS * standardError;
  expect(Math.abs(actual - expected), `${what}: ${actual.toFixed(5)} vs ${expected.toFixed(5)} ± ${tolerance.toFixed(5)}`).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(!pg.available)("the aispy profile's model quality through the SQL (reference engine)", () => {
  let db: ReferenceDatabase;
  let metrics: ModelQualityRow[];
  let reliability: ReliabilityRow[];
  beforeAll(async () => {
    if (!pg.available) return;
    const generated = generateAispy();
    db = await referenceDatabase(pg.adminUrl);
    await insertDataset(db.client, generated.data);
    ({ metrics, reliability } = await modelQualityAt(db.client, generated.lastCreatedMs + 61_000));
  }, 240_000);
  afterAll(async () => {
    await db?.[Symbol.asyncDispose]();
  });

  const control = () => metrics.filter((r) => r.experiment_bucket === "control");

  it("scores every control lead in exactly 30 windows", () => {
    expect(leadMeans(control()).leads).toBe(20_000); // ids 1..100000: 2 in 10 are control
  });

  it("gives the control bucket log loss 1/2, Brier score 1/6 and mean score 1/2", () => {
    const means = leadMeans(control());
    expectWithin(means.logLoss, CONTROL.logLoss, Math.sqrt(CONTROL.logLossVariance / means.leads), "log loss");
    expectWithin(means.brier, CONTROL.brierScore, Math.sqrt(CONTROL.brierVariance / means.leads), "Brier score");
    expectWithin(means.meanScore, CONTROL.meanScore, Math.sqrt(1 / 12 / means.leads), "mean score");
  });

  it("finds the control bucket calibrated and the experiment bucket's labels lifted by coupons (7/6)", () => {
    const controlMeans = leadMeans(control());
    expectWithin(controlMeans.calibrationRatio, CONTROL.calibrationRatio, Math.sqrt(2 / (3 * controlMeans.leads)), "control calibration ratio");
    const experiment = leadMeans(metrics.filter((r) => r.experiment_bucket === "experiment"));
    expect(experiment.leads).toBe(80_000);
    const { calibrationRatio } = AISPY_EXPERIMENT_CALIBRATION;
    expectWithin(experiment.calibrationRatio, calibrationRatio, experimentCalibrationRatioSe(experiment.leads), "experiment calibration ratio");
  });

  it("gives a full control window AUC 5/6 (less 1/30 000 for the bins) and the ECE noise floor of a calibrated model", () => {
    const full = control().reduce((best, r) => (r.num_scored > best.num_scored ? r : best));
    expect(full.num_scored).toBeGreaterThan(11_000); // 400 control leads/s over 30 s
    const negatives = full.num_scored - full.num_positive;
    expectWithin(full.roc_auc ?? Number.NaN, CONTROL.rocAucBinned, aucStandardError(full.num_positive, negatives), "AUC");
    const ece = calibratedEce(full.num_scored);
    expectWithin(full.expected_calibration_error ?? Number.NaN, ece.mean, ece.sd, "ECE");
  });

  it("puts each control decile on the diagonal of the reliability table: observed = predicted = (2d + 1)/20", () => {
    for (let decile = 0; decile < 10; decile++) {
      const rows = reliability.filter((r) => r.experiment_bucket === "control" && r.score_decile === decile);
      const scored = rows.reduce((total, r) => total + r.num_scored, 0);
      const leads = scored / WINDOWS_PER_LEAD;
      const observed = rows.reduce((total, r) => total + r.num_positive, 0) / scored;
      const predicted = rows.reduce((total, r) => total + (r.mean_score ?? 0) * r.num_scored, 0) / scored;
      const center = (2 * decile + 1) / 20;
      expectWithin(observed, center, Math.sqrt((center * (1 - center)) / leads), `decile ${decile} observed rate`);
      expectWithin(predicted, center, Math.sqrt(1 / 1200 / leads), `decile ${decile} mean score`); // U over a width of 0.1: variance 0.1²/12
    }
  });
});
