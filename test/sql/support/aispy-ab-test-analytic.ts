// The long-run A/B numbers of profile `aispy`, derived on paper from its definition (the same
// definition as test/unit/aispy-analytic.ts, which derives the means), not from the code or
// the SQL. x = a lead's net revenue in dollars.
//
// Amounts are discrete uniform, independent of everything else:
//   A (conversion) on {$10.00, $10.01, .., $250.00}: N = 24 001 values, mean $130,
//     Var A = (N² − 1)/12 · 0.01² = (24 001² − 1)/12 · 10⁻⁴ = 4 800.4 $²,
//     E[A²] = 130² + 4 800.4 = 21 700.4 $².
//   C (coupon) on {$5.00, .., $50.00}: N = 4 501, mean $27.50,
//     Var C = (4 501² − 1)/12 · 10⁻⁴ = 168.825 $².
//
// Control (no coupon): x = A·Y with P(Y = 1) = ∫₀¹ s ds = 1/2.
//   E[x]  = 130/2 = $65.00
//   E[x²] = E[A²]/2 = 10 850.2;  Var x = 10 850.2 − 65² = 6 625.2 $²
// Experiment: a predicted positive (s > 1/2) gets no coupon and converts with P = s;
// a predicted negative gets coupon C and converts with P = 2s − s² (two tries).
//   P(converted ∧ positive) = ∫_{1/2}^1 s ds = 3/8;  x = A
//   P(converted ∧ negative) = ∫_0^{1/2} (2s − s²) ds = 5/24;  x = A − C (redeemed)
//   E[x]  = 3/8 · 130 + 5/24 · (130 − 27.5) = 48.75 + 21.3541… = $70.1041…
//   E[(A − C)²] = Var A + Var C + (130 − 27.5)² = 4 800.4 + 168.825 + 10 506.25 = 15 475.475
//   E[x²] = 3/8 · 21 700.4 + 5/24 · 15 475.475 = 8 137.65 + 3 224.0572… = 11 361.7072…
//   Var x = 11 361.7072… − 70.1041…² = 6 447.1131… $²
// Uplift = 70.1041… − 65 = $5.1041… per lead.
// Standard error of the uplift with n_c control and n_e experiment leads:
//   √(6 625.2/n_c + 6 447.11/n_e); for 20 000 and 80 000 leads: √(0.33126 + 0.08059) ≈ $0.642.
//
// Sample ratio: control iff lead id mod 10 ∈ {0, 1}, and leads mature in id order, so every
// window holds a run of consecutive ids. Among n consecutive ids the control count n_c
// differs from n/5 by d with |d| ≤ 2 (at most 2 per started ten), so against the 20/80
// design χ² = d²/(0.2n) + d²/(0.8n) = d²/(0.16n) ≤ 25/n: far below 10.83 for any window
// of more than a few leads. The split is deterministic here, not random.

const A_MEAN = 130;
const A_VARIANCE = (24_001 ** 2 - 1) / 12 / 10_000; // 4 800.4
const C_MEAN = 27.5;
const C_VARIANCE = (4_501 ** 2 - 1) / 12 / 10_000; // 168.825
const P_CONVERTED_POSITIVE = 3 / 8;
const P_CONVERTED_NEGATIVE_WITH_COUPON = 5 / 24;

const controlMean = A_MEAN / 2;
const controlSecondMoment = (A_MEAN ** 2 + A_VARIANCE) / 2;
const experimentMean = P_CONVERTED_POSITIVE * A_MEAN + P_CONVERTED_NEGATIVE_WITH_COUPON * (A_MEAN - C_MEAN);
const experimentSecondMoment =
  P_CONVERTED_POSITIVE * (A_MEAN ** 2 + A_VARIANCE) +
  P_CONVERTED_NEGATIVE_WITH_COUPON * (A_VARIANCE + C_VARIANCE + (A_MEAN - C_MEAN) ** 2);

export const AISPY_AB_ANALYTIC = Object.freeze({
  control: { meanDollars: controlMean, varianceDollars2: controlSecondMoment - controlMean ** 2, conversionRate: 1 / 2 },
  experiment: { meanDollars: experimentMean, varianceDollars2: experimentSecondMoment - experimentMean ** 2, conversionRate: 7 / 12 },
  upliftDollars: experimentMean - controlMean,
  /** The designed split, and the bound on χ² for a window of n leads (see above). */
  design: { control: 0.2, experiment: 0.8 },
  srmChiSquareBound: (n: number) => 25 / n,
});

/** Welch standard error of the uplift for the given bucket sizes, from the analytic variances. */
export function aispyUpliftStandardError(controlLeads: number, experimentLeads: number): number {
  return Math.sqrt(AISPY_AB_ANALYTIC.control.varianceDollars2 / controlLeads + AISPY_AB_ANALYTIC.experiment.varianceDollars2 / experimentLeads);
}
