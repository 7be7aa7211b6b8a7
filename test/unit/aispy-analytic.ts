// The long-run metrics of profile `aispy` (the seed's generator), derived on paper from its
// definition in docs/metrics.md, not from the code. Shares are of the bucket's
// leads. Reused by the SQL tests: a large enough aispy run must land near these numbers.
//
// Definition: s ~ U(0,1); label = s > 1/2; no coupon: P(convert | s) = s;
// with a coupon (experiment ∧ ¬label): two independent tries, P = 1 − (1 − s)² = 2s − s².
// Amounts independent of everything: conversion U{1000..25000} cents, mean 13 000 ¢ = $130;
// coupon U{500..5000} cents, mean 2 750 ¢ = $27.50. Delay U(0, 30 s], mean 15 s.
//
// Control (no coupons):
//   TP = ∫_{1/2}^1 s ds       = (1 − 1/4)/2 = 3/8      FP = ∫_{1/2}^1 (1 − s) ds = 1/2 − 3/8 = 1/8
//   FN = ∫_0^{1/2} s ds       = 1/8                    TN = 1/2 − 1/8 = 3/8
//   precision = (3/8)/(1/2) = 3/4; recall = (3/8)/(3/8 + 1/8) = 3/4; F1 = 2TP/(2TP+FP+FN) = 3/4
//   accuracy = 3/4; conversion rate = 1/2
//   net revenue per lead = 1/2 · $130 = $65 (no coupon is ever redeemed)
// Experiment (predicted negatives get a coupon):
//   TP = 3/8, FP = 1/8 (as control: positives get no coupon)
//   FN = ∫_0^{1/2} (2s − s²) ds = [s² − s³/3]_0^{1/2} = 1/4 − 1/24 = 5/24
//   TN = 1/2 − 5/24 = 7/24
//   precision = 3/4; recall = (9/24)/(9/24 + 5/24) = 9/14 ≈ 0.642857
//   F1 = (18/24)/(18/24 + 3/24 + 5/24) = 18/26 = 9/13 ≈ 0.692308
//   accuracy = (9/24 + 7/24) = 2/3; conversion rate = 9/24 + 5/24 = 7/12
//   revenue per lead = 7/12 · $130 = $75.8333…
//   coupon cost per lead = P(converted ∧ coupon) · $27.50 = 5/24 · 27.5 = $5.7292
//     (converted with a coupon = exactly the FN cell: coupon ⇔ ¬label in this bucket)
//   net revenue per lead = (7/12)·130 − (5/24)·27.5 = 1682.5/24 = $70.1042
// Buckets: control iff id mod 10 ∈ {0,1}, so ids 1..10n hold exactly 2n control leads.
//
// Ignored on purpose: scores are published with 6 decimals (a score of exactly 0.5 has
// probability 1e-6) and delays have millisecond resolution (mean 15 000.5 ms).

export interface BucketExpectation {
  /** Shares of the bucket's leads; they sum to 1. */
  truePositiveShare: number;
  falsePositiveShare: number;
  trueNegativeShare: number;
  falseNegativeShare: number;
  precision: number;
  recall: number;
  f1Score: number;
  accuracy: number;
  conversionRate: number;
  revenuePerLeadDollars: number;
  couponCostPerLeadDollars: number;
  netRevenuePerLeadDollars: number;
}

export const AISPY_MEAN_CONVERSION_AMOUNT_CENTS = (1000 + 25_000) / 2; // 13 000
export const AISPY_MEAN_COUPON_AMOUNT_CENTS = (500 + 5000) / 2; // 2 750
export const AISPY_MEAN_DELAY_MS = (1 + 30_000) / 2; // 15 000.5: U{1..30 000} ms
export const AISPY_CONTROL_SHARE = 2 / 10;

const MEAN_CONVERSION_DOLLARS = AISPY_MEAN_CONVERSION_AMOUNT_CENTS / 100;
const MEAN_COUPON_DOLLARS = AISPY_MEAN_COUPON_AMOUNT_CENTS / 100;

export const AISPY_ANALYTIC: Readonly<Record<"control" | "experiment", BucketExpectation>> = Object.freeze({
  control: {
    truePositiveShare: 3 / 8,
    falsePositiveShare: 1 / 8,
    trueNegativeShare: 3 / 8,
    falseNegativeShare: 1 / 8,
    precision: 3 / 4,
    recall: 3 / 4,
    f1Score: 3 / 4,
    accuracy: 3 / 4,
    conversionRate: 1 / 2,
    revenuePerLeadDollars: (1 / 2) * MEAN_CONVERSION_DOLLARS, // 65
    couponCostPerLeadDollars: 0,
    netRevenuePerLeadDollars: (1 / 2) * MEAN_CONVERSION_DOLLARS, // 65
  },
  experiment: {
    truePositiveShare: 3 / 8,
    falsePositiveShare: 1 / 8,
    trueNegativeShare: 7 / 24,
    falseNegativeShare: 5 / 24,
    precision: 3 / 4,
    recall: 9 / 14,
    f1Score: 9 / 13,
    accuracy: 2 / 3,
    conversionRate: 7 / 12,
    revenuePerLeadDollars: (7 / 12) * MEAN_CONVERSION_DOLLARS, // 75.8333
    couponCostPerLeadDollars: (5 / 24) * MEAN_COUPON_DOLLARS, // 5.7292
    netRevenuePerLeadDollars: (7 / 12) * MEAN_CONVERSION_DOLLARS - (5 / 24) * MEAN_COUPON_DOLLARS, // 70.1042
  },
});
