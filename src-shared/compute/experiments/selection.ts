/**
 * The selection statistics of a sweep, as the report and the CLI's `"selection"` object show them:
 * how many trials the winner was chosen from, the probability of backtest overfitting across them
 * ({@link probabilityOfBacktestOverfitting}), the winner's deflated Sharpe ratio
 * ({@link deflatedSharpeOfTrials}), and one sentence that says what the numbers mean.
 */
import { deflatedSharpeOfTrials, deflatedSharpeRatio, returnMoments, type TrialsDeflatedSharpe } from './deflatedSharpe.js';
import { probabilityOfBacktestOverfitting, type PboOptions } from './pbo.js';

export interface SelectionStatistics {
  readonly trials: number;
  /** PBO, or null when there are too few trials or periods (see `pboUnavailable`). */
  readonly pbo: number | null;
  readonly pboUnavailable: string | null;
  /** The winner's DSR (probability that its true Sharpe ratio beats the best that luck would give). */
  readonly deflatedSharpe: number;
  readonly deflated: TrialsDeflatedSharpe;
  /** Significance level used by the sentence; 0.95. */
  readonly significanceLevel: number;
  readonly significant: boolean;
  readonly sentence: string;
  /** The deflated Sharpe ratio's part of the sentence, for a UI that shows each statistic on its own. */
  readonly deflatedSentence: string;
  /** The PBO's part of the sentence, or why it could not be computed. */
  readonly pboSentence: string;
}

/**
 * The DSR of the trial the sweep actually chose (by its own objective, e.g. validation log loss),
 * which need not be the trial with the best Sharpe ratio; N and V are the same. A chosen trial
 * that never trades (constant returns) has no Sharpe ratio: its DSR is 0.
 */
function deflatedOfWinner(all: TrialsDeflatedSharpe, returns: Float64Array, trials: number, winner: number | undefined): TrialsDeflatedSharpe {
  if (winner === undefined || winner === all.winner) return all;
  if (!Number.isInteger(winner) || winner < 0 || winner >= trials) throw new RangeError(`winner must be a column from 0 to ${trials - 1}, got ${winner}`);
  const m = returnMoments(returns, trials, winner);
  if (!Number.isFinite(m.sharpe)) return { ...all, winner, winnerMoments: m, dsr: 0, psr: 0 };
  const d = deflatedSharpeRatio({ sharpe: m.sharpe, observations: m.n, skewness: m.skewness, kurtosis: m.kurtosis }, trials, all.sharpeVariance);
  return { ...all, ...d, winner, winnerMoments: m };
}

function percent(x: number): string {
  return `${Math.round(100 * x)} %`;
}

/**
 * Both statistics from the trials' per-period returns over the VALIDATION period (never test: the
 * point is to measure the selection that was made on validation).
 *
 * @param returns - T×N, row-major: `returns[t * trials + n]`.
 * @param options - `winner`: the column of the trial the sweep chose (default: the one with the best
 *   Sharpe ratio), whose DSR is reported; the rest is passed to the PBO; partitions are lowered to the largest even S ≤ 16 with T ≥ 2S
 *   when the period is short, and the PBO is left out below 4 periods.
 */
export function selectionStatistics(returns: Float64Array, trials: number, options: PboOptions & { winner?: number } = {}): SelectionStatistics {
  const deflated = deflatedOfWinner(deflatedSharpeOfTrials(returns, trials), returns, trials, options.winner);
  const T = returns.length / trials;
  let pbo: number | null = null;
  let pboUnavailable: string | null = null;
  const maxS = 2 * Math.floor(T / 4);
  const S = Math.min(options.partitions ?? 16, maxS);
  if (trials < 2) pboUnavailable = 'needs at least 2 trials';
  else if (S < 2) pboUnavailable = `needs at least 4 periods, got ${T}`;
  else pbo = probabilityOfBacktestOverfitting(returns, trials, { ...options, partitions: S }).pbo;
  const significanceLevel = 0.95;
  const significant = deflated.dsr >= significanceLevel;
  const deflatedSentence = significant
      ? `Its Sharpe ratio stays significant after allowing for the search (deflated Sharpe ratio ${deflated.dsr.toFixed(2)} ≥ 0.95).`
      : `After allowing for the search, its Sharpe ratio is not significant: deflated Sharpe ratio ${deflated.dsr.toFixed(2)} (below 0.95; the best of ${trials} unskilled trials would be expected to reach a Sharpe of ${deflated.expectedMaxSharpe.toPrecision(2)} per period).`;
  const pboSentence =
    pbo !== null
      ? `Probability of backtest overfitting ${pbo.toFixed(2)}: the best trial on one half of the period ranks in the bottom half on the other half ${percent(pbo)} of the time (0.5 is no better than picking at random).`
      : `No probability of backtest overfitting: it ${pboUnavailable}.`;
  const parts = [`Best of ${trials} trial${trials === 1 ? '' : 's'}.`, deflatedSentence, ...(pbo !== null ? [pboSentence] : [])];
  return { trials, pbo, pboUnavailable, deflatedSharpe: deflated.dsr, deflated, significanceLevel, significant, sentence: parts.join(' '), deflatedSentence, pboSentence };
}
