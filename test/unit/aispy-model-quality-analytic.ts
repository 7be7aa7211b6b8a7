// The long-run model-quality signals of profile `aispy`, control bucket, derived on paper
// from the profile's definition (test/unit/aispy-analytic.ts): s ~ U(0,1) and, with no
// coupon, y ~ Bernoulli(s), so P(y = 1) = 1/2. Reused by test/sql/model-quality-aispy.test.ts;
// test/unit/aispy-model-quality-analytic.test.ts checks each closed form by numerical
// integration.
//
// Score densities by class: positives f₊(s) = s / (1/2) = 2s; negatives f₋(s) = 2(1 − s).
//
// ROC AUC = P(s₊ > s₋) = ∫₀¹ f₋(b) ∫_b¹ f₊(a) da db = ∫₀¹ 2(1 − b)(1 − b²) db
//         = 2 ∫₀¹ u²(2 − u) du (u = 1 − b) = 2 (2/3 − 1/4) = 5/6 ≈ 0.8333 (not 2/3).
// Bin discretization (B = 100 bins of width h = 1/B, ties inside a bin count ½): a pair in
//   the same bin [c, c + h] counts ½ instead of 1[a > b]; the loss per bin is
//   ½ ∫∫_{a>b} [f₊(a)f₋(b) − f₊(b)f₋(a)] = ½ ∫∫_{a>b} 4(a − b) = h³/3, so over B bins
//   AUC_B = 5/6 − B·h³/3 = 5/6 − 1/(3B²) = 5/6 − 1/30 000 ≈ 0.83330: a hundred times
//   smaller than the sampling error of a window (below).
// Its sampling variance (Mann–Whitney, exact for U-statistics; Hanley & McNeil 1982):
//   Var(Â) = [A(1 − A) + (P − 1)(Q₁ − A²) + (N − 1)(Q₂ − A²)] / (P·N), with
//   Q₁ = P(two positives both above a negative) = ∫ f₋(b) (1 − b²)² db = 11/15,
//   Q₂ = P(a positive above two negatives)     = ∫ f₊(a) (2a − a²)² da = 11/15.
// Log loss = E[−(y ln s + (1 − y) ln(1 − s))] = ∫₀¹ −s ln s − (1 − s) ln(1 − s) ds
//          = −2 ∫₀¹ s ln s ds = −2 · (−1/4) = 1/2; per lead its second moment is
//          ∫ s ln²s + (1 − s) ln²(1 − s) ds = 2 ∫ s ln²s ds = 2 · 2/2³ = 1/2, so its
//          variance is 1/2 − 1/4 = 1/4. (∫₀¹ sⁿ lnᵏ s ds = (−1)ᵏ k! / (n + 1)ᵏ⁺¹.)
//          The clamp to [1e-15, 1 − 1e-15] changes nothing: scores are published with 6
//          decimals, and a score of 0 or 1 carries no error term (y follows it).
// Brier = E[(s − y)²] = E[s(1 − s)² + (1 − s)s²] = E[s(1 − s)] = 1/2 − 1/3 = 1/6;
//          E[(s − y)⁴] = E[s(1 − s)⁴ + (1 − s)s⁴] = 2 ∫ s⁴(1 − s) ds = 1/15, variance
//          1/15 − 1/36 = 7/180.
// Calibration: E[y | s] = s, so in every decile E[Σ y − Σ s] = 0: the long-run ECE is 0
//   and calibration_ratio Σy/Σs → 1, with variance ≈ E[(y − s)²] / (n E[s]²) = 2/(3n).
//   ECE of a finite window is not 0: S_d = Σ_{leads in decile d} (s − y) has mean 0 and
//   variance n·v_d, v_d = ∫_{d/10}^{(d+1)/10} s(1 − s) ds, and the S_d are uncorrelated, so
//   for large n: E[ECE] ≈ Σ_d E|S_d| / n = √(2/(πn)) Σ_d √v_d, and
//   Var(ECE) ≈ (1 − 2/π) Σ_d v_d / n = (1 − 2/π) / (6n). With B bins instead of deciles
//   the floor grows like √B: this noise floor, not miscalibration, is what a live
//   dashboard shows for a perfectly calibrated model: Σ_d √v_d = 1.25, so about 0.046 at
//   480 leads per window (80 leads/s, 20 % control, 30 s).
// Reliability: in decile d, E[s] = E[y] = (2d + 1)/20.
// Experiment bucket (for contrast): coupons raise P(y | s ≤ ½) to 2s − s², so E[y] = 7/12
//   while E[s] = 1/2: calibration_ratio → 7/6 although the model did not change. With
//   E[ys] = ∫₀^½ s(2s − s²) ds + ∫_½¹ s² ds = 13/192 + 56/192 = 23/64 and E[s²] = 1/3:
//   Var(Σy/Σs) ≈ (E[y] − 2R·E[ys] + R²E[s²]) / (n E[s]²), R = 7/6.

export const AISPY_CONTROL_MODEL_QUALITY = Object.freeze({
  rocAuc: 5 / 6,
  rocAucBinned: 5 / 6 - 1 / (3 * 100 ** 2),
  /** Q₁ = Q₂ of the Mann–Whitney variance. */
  aucPairQ: 11 / 15,
  logLoss: 1 / 2,
  logLossVariance: 1 / 4,
  brierScore: 1 / 6,
  brierVariance: 7 / 180,
  calibrationRatio: 1,
  meanScore: 1 / 2,
});

export const AISPY_EXPERIMENT_CALIBRATION = Object.freeze({
  calibrationRatio: 7 / 6,
  meanOutcome: 7 / 12,
  meanOutcomeTimesScore: 23 / 64,
  meanSquaredScore: 1 / 3,
});

/** v_d = ∫ s(1 − s) ds over decile d: [s²/2 − s³/3] from d/10 to (d + 1)/10. */
export function decileOutcomeVariance(decile: number): number {
  const antiderivative = (s: number) => s ** 2 / 2 - s ** 3 / 3;
  return antiderivative((decile + 1) / 10) - antiderivative(decile / 10);
}

/** E[ECE] and its standard deviation for a window of n calibrated leads (normal approximation). */
export function calibratedEce(n: number): { mean: number; sd: number } {
  const sumRootV = Array.from({ length: 10 }, (_, d) => Math.sqrt(decileOutcomeVariance(d))).reduce((a, b) => a + b, 0);
  return { mean: Math.sqrt(2 / (Math.PI * n)) * sumRootV, sd: Math.sqrt((1 - 2 / Math.PI) / (6 * n)) };
}

/** Standard error of the (binned) AUC for P positives and N negatives. */
export function aucStandardError(positives: number, negatives: number): number {
  const { rocAucBinned: a, aucPairQ: q } = AISPY_CONTROL_MODEL_QUALITY;
  return Math.sqrt((a * (1 - a) + (positives - 1 + negatives - 1) * (q - a * a)) / (positives * negatives));
}

/** Standard error of Σy/Σs over n experiment leads (delta method). */
export function experimentCalibrationRatioSe(n: number): number {
  const { calibrationRatio: r, meanOutcome, meanOutcomeTimesScore, meanSquaredScore } = AISPY_EXPERIMENT_CALIBRATION;
  return Math.sqrt((meanOutcome - 2 * r * meanOutcomeTimesScore + r * r * meanSquaredScore) / (n * 0.25));
}
