/**
 * Market regimes of the synthetic generator and the Markov chain that switches between them.
 *
 * The chain is defined in continuous time so that a regime lasts about as many days whatever the
 * bar spacing: each regime has a mean duration, and when the chain leaves a regime it jumps
 * according to a fixed row of `REGIME_JUMP_MATRIX` (the embedded "jump chain"). The per-bar
 * transition matrix follows from those two (`regimeTransitionMatrix`), in the style of a
 * Hamilton (1989) regime-switching model discretised at the bar spacing.
 */

export const REGIMES = ['bull', 'bear', 'range', 'highVol'] as const;
export type RegimeName = (typeof REGIMES)[number];

export interface RegimeParams {
  /** Log drift per year (0.8 ≈ +120 % a year if the regime lasted that long). */
  readonly annualDrift: number;
  /** Multiplier on the symbol's base volatility. */
  readonly volMultiplier: number;
  /** Mean time spent in the regime before leaving it, in days. */
  readonly meanDurationDays: number;
}

/** Drift, volatility and persistence of each regime (rows in `REGIMES` order). */
export const REGIME_PARAMS: readonly RegimeParams[] = [
  { annualDrift: 0.8, volMultiplier: 0.9, meanDurationDays: 45 }, // bull: steady up-trend
  { annualDrift: -0.8, volMultiplier: 1.15, meanDurationDays: 30 }, // bear: falls are more volatile (leverage effect)
  { annualDrift: 0, volMultiplier: 0.65, meanDurationDays: 30 }, // range: quiet, no trend
  { annualDrift: -0.2, volMultiplier: 2.0, meanDurationDays: 7 }, // highVol: short, violent episodes
];

/**
 * Where the chain goes when it leaves a regime: row = from, column = to, in `REGIMES` order.
 * Diagonal is 0 by construction; rows sum to 1.
 *
 * ```
 *            bull  bear  range highVol
 * bull    [  0     0.20  0.50  0.30 ]
 * bear    [  0.30  0     0.40  0.30 ]
 * range   [  0.40  0.35  0     0.25 ]
 * highVol [  0.30  0.40  0.30  0    ]
 * ```
 */
export const REGIME_JUMP_MATRIX: readonly (readonly number[])[] = [
  [0, 0.2, 0.5, 0.3],
  [0.3, 0, 0.4, 0.3],
  [0.4, 0.35, 0, 0.25],
  [0.3, 0.4, 0.3, 0],
];

const DAY_MS = 86_400_000;

/** Probability of leaving each regime during one bar of `timeframeMs`: 1 − exp(−Δt / meanDuration). */
export function regimeLeaveProbabilities(timeframeMs: number): Float64Array {
  const out = new Float64Array(REGIMES.length);
  for (let k = 0; k < REGIMES.length; k++) {
    out[k] = 1 - Math.exp(-timeframeMs / (REGIME_PARAMS[k]!.meanDurationDays * DAY_MS));
  }
  return out;
}

/**
 * The per-bar transition matrix P[from][to] at bar spacing `timeframeMs`:
 * P[k][k] = 1 − p_k and P[k][j] = p_k · J[k][j], where p_k is the leave probability and J the
 * jump matrix. (At most one switch per bar: exact in the limit of short bars, and a fine
 * approximation while bars are much shorter than the 7-day high-volatility regime.)
 */
export function regimeTransitionMatrix(timeframeMs: number): number[][] {
  const leave = regimeLeaveProbabilities(timeframeMs);
  return REGIME_JUMP_MATRIX.map((row, k) => row.map((j, to) => (to === k ? 1 - leave[k]! : leave[k]! * j)));
}
