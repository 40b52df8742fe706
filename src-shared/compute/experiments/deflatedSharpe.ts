/**
 * Is the best Sharpe ratio of a sweep real, or what the best of N tries would show anyway?
 *
 * - Probabilistic Sharpe ratio (PSR): Bailey & López de Prado (2012), "The Sharpe Ratio Efficient
 *   Frontier", Journal of Risk 15(2), eq. 3: the probability that the true Sharpe ratio exceeds a
 *   benchmark SR*, given the estimate's standard error under non-normal returns (Mertens 2002):
 *   PSR(SR*) = Φ( (SR − SR*)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²) ).
 * - Deflated Sharpe ratio (DSR): Bailey & López de Prado (2014), "The Deflated Sharpe Ratio:
 *   Correcting for Selection Bias, Backtest Overfitting and Non-Normality", Journal of Portfolio
 *   Management 40(5), eq. 2: the PSR against SR₀, the Sharpe ratio the best of N unskilled trials is
 *   expected to reach, SR₀ = √V·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), with V the variance of
 *   the trials' Sharpe ratios and γ the Euler–Mascheroni constant (the expected maximum of N
 *   normal draws, from extreme value theory; their Appendix).
 *
 * Units: every Sharpe ratio here is PER PERIOD (mean / std of per-bar returns, not annualised), T is
 * the number of return observations, γ₃ the skewness and γ₄ the (non-excess) kurtosis of the
 * returns, 3 for a normal. Annualising SR and √V by the same factor leaves SR₀/SR unchanged, but T
 * and the PSR formula need the per-period value.
 *
 * N should be the number of independent trials. A sweep's trials are correlated, so passing the raw
 * trial count overstates N, and SR₀ with it: the DSR errs on the side of "not significant".
 */
import type { Nominal } from '../../domain/units.js';
import { EULER_MASCHERONI, normalCdf, normalQuantile } from './distributions.js';

/**
 * A Sharpe ratio of per-period returns, not annualised. Branded because the backtest reports
 * annualised Sharpe ratios (× √periods per year), and feeding one of those to the PSR with T bars
 * would overstate significance by that factor.
 */
export type PerPeriodSharpe = Nominal<number, 'PerPeriodSharpe'>;

/** Brands a number already computed from per-period returns. */
export const perPeriodSharpe = (n: number): PerPeriodSharpe => n as PerPeriodSharpe;

/** An annualised Sharpe ratio (e.g. the backtest's `sharpe`) back to per period: SR / √periodsPerYear. */
export function perPeriodFromAnnualSharpe(annual: number, periodsPerYear: number): PerPeriodSharpe {
  if (!(periodsPerYear > 0)) throw new RangeError(`periodsPerYear must be positive, got ${periodsPerYear}`);
  return (annual / Math.sqrt(periodsPerYear)) as PerPeriodSharpe;
}

/** Summary statistics of one return series. */
export interface ReturnMoments {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
  /** mean / std per period; NaN when std = 0. */
  readonly sharpe: PerPeriodSharpe;
  /** m₃ / m₂^{3/2} with central moments m_k = Σ(x − x̄)^k / n (the paper's estimator). */
  readonly skewness: number;
  /** m₄ / m₂², not excess: 3 for normal returns. */
  readonly kurtosis: number;
}

/** Mean, std, per-period Sharpe, skewness and kurtosis of a series of returns. */
export function returnMoments(returns: ArrayLike<number>, stride = 1, offset = 0): ReturnMoments {
  const n = Math.floor((returns.length - offset + stride - 1) / stride);
  if (n < 2) throw new RangeError(`need at least 2 returns, got ${n}`);
  let sum = 0;
  for (let i = offset; i < returns.length; i += stride) sum += returns[i];
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = offset; i < returns.length; i += stride) {
    const d = returns[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const std = Math.sqrt(m2 / (n - 1));
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return {
    n,
    mean,
    std,
    sharpe: perPeriodSharpe(std > 0 ? mean / std : Number.NaN),
    skewness: m2 > 0 ? m3 / m2 ** 1.5 : 0,
    kurtosis: m2 > 0 ? m4 / (m2 * m2) : 3,
  };
}

/**
 * Expected maximum Sharpe ratio of N unskilled trials whose Sharpe ratios have variance V
 * (Bailey & López de Prado 2014, eq. 2's SR₀; Bailey et al. 2014, "Pseudo-Mathematics and Financial
 * Charlatanism", Proposition 1). 0 for a single trial: nothing was selected.
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): PerPeriodSharpe {
  if (!(trials >= 1)) throw new RangeError(`trials must be ≥ 1, got ${trials}`);
  if (!(sharpeVariance >= 0)) throw new RangeError(`the variance of the trials' Sharpe ratios must be ≥ 0, got ${sharpeVariance}`);
  if (trials === 1) return perPeriodSharpe(0);
  return perPeriodSharpe(
    Math.sqrt(sharpeVariance) *
      ((1 - EULER_MASCHERONI) * normalQuantile(1 - 1 / trials) + EULER_MASCHERONI * normalQuantile(1 - 1 / (trials * Math.E))),
  );
}

/** Inputs of the probabilistic Sharpe ratio (all per period). */
export interface SharpeEstimate {
  readonly sharpe: PerPeriodSharpe;
  /** T, the number of returns the Sharpe ratio was measured on. */
  readonly observations: number;
  /** Default 0 (normal returns). */
  readonly skewness?: number;
  /** Non-excess; default 3 (normal returns). */
  readonly kurtosis?: number;
}

/**
 * PSR: probability that the true per-period Sharpe ratio exceeds `benchmark` (Bailey & López de
 * Prado 2012, eq. 3). The variance term 1 − γ₃SR + (γ₄−1)/4·SR² is never negative for a real
 * distribution (γ₄ ≥ 1 + γ₃² makes the quadratic's discriminant ≤ 0); impossible moments give NaN.
 */
export function probabilisticSharpeRatio(estimate: SharpeEstimate, benchmark: PerPeriodSharpe = perPeriodSharpe(0)): number {
  const { sharpe, observations: T } = estimate;
  const g3 = estimate.skewness ?? 0;
  const g4 = estimate.kurtosis ?? 3;
  if (!(T >= 2)) throw new RangeError(`need at least 2 observations, got ${T}`);
  const v = 1 - g3 * sharpe + ((g4 - 1) / 4) * sharpe * sharpe;
  if (!(v > 0) || !Number.isFinite(sharpe)) return Number.NaN;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(T - 1)) / Math.sqrt(v));
}

export interface DeflatedSharpe {
  /** Probability that the winner's true Sharpe ratio exceeds SR₀. */
  readonly dsr: number;
  /** SR₀, the expected best Sharpe ratio of the trials under no skill. */
  readonly expectedMaxSharpe: PerPeriodSharpe;
  /** The winner's PSR against 0, i.e. what it would look like had it been the only trial. */
  readonly psr: number;
}

/**
 * DSR of a selected trial (Bailey & López de Prado 2014, eq. 2).
 *
 * @param trials - N, the number of trials the winner was chosen from.
 * @param sharpeVariance - V, variance across trials of their per-period Sharpe ratios (for
 *   annualised ones, divide by periods per year).
 */
export function deflatedSharpeRatio(estimate: SharpeEstimate, trials: number, sharpeVariance: number): DeflatedSharpe {
  const sr0 = expectedMaxSharpe(trials, sharpeVariance);
  return { dsr: probabilisticSharpeRatio(estimate, sr0), expectedMaxSharpe: sr0, psr: probabilisticSharpeRatio(estimate) };
}

export interface TrialsDeflatedSharpe extends DeflatedSharpe {
  /** Column of the trial with the highest Sharpe ratio. */
  readonly winner: number;
  readonly winnerMoments: ReturnMoments;
  /** Per-period Sharpe ratio of every trial (NaN for a constant series); a plain array of {@link PerPeriodSharpe}. */
  readonly sharpes: Float64Array;
  /** Sample variance (n − 1) of the finite Sharpe ratios: V. */
  readonly sharpeVariance: number;
}

/**
 * The DSR of a sweep's winner straight from its trials' return series: each trial's per-period
 * Sharpe ratio, their variance V, the best one, its skewness and kurtosis, and
 * {@link deflatedSharpeRatio} with N = the number of trials.
 *
 * @param returns - T×N, row-major like the PBO's input: `returns[t * trials + n]`.
 */
export function deflatedSharpeOfTrials(returns: Float64Array, trials: number): TrialsDeflatedSharpe {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  if (returns.length % trials !== 0) throw new RangeError(`the matrix has ${returns.length} values, not a multiple of ${trials} trials`);
  const sharpes = new Float64Array(trials);
  let winner = -1;
  let sum = 0;
  let count = 0;
  for (let n = 0; n < trials; n++) {
    const s = returnMoments(returns, trials, n).sharpe;
    sharpes[n] = s;
    if (!Number.isFinite(s)) continue;
    sum += s;
    count++;
    if (winner < 0 || s > sharpes[winner]) winner = n;
  }
  if (winner < 0) throw new RangeError('no trial has a finite Sharpe ratio (all constant returns?)');
  let ss = 0;
  for (let n = 0; n < trials; n++) if (Number.isFinite(sharpes[n])) ss += (sharpes[n] - sum / count) ** 2;
  const sharpeVariance = count > 1 ? ss / (count - 1) : 0;
  const m = returnMoments(returns, trials, winner);
  const d = deflatedSharpeRatio({ sharpe: m.sharpe, observations: m.n, skewness: m.skewness, kurtosis: m.kurtosis }, trials, sharpeVariance);
  return { ...d, winner, winnerMoments: m, sharpes, sharpeVariance };
}
