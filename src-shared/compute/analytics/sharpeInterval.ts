/**
 * Confidence interval of an annualised Sharpe ratio estimated from T bar returns.
 *
 * Lo (2002), "The Statistics of Sharpe Ratios", Financial Analysts Journal 58(4), eq. (9): for
 * IID returns the per-period Sharpe estimate SR̂ is asymptotically normal with
 *   Var(SR̂) ≈ (1 + SR̂² / 2) / T.
 * The annualised ratio is SR̂ · √q with q periods per year (Lo's eq. 13 under IID), so its standard
 * error is √q · √((1 + SR̂²/2) / T). The interval is SR ± z · SE with z the normal quantile
 * (1.959964 for 95 %). It assumes IID returns; serial correlation (Lo's §4) or fat tails (Mertens
 * 2002) widen it, so read it as a lower bound on the uncertainty.
 */

/** Normal quantile of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export interface SharpeInterval {
  /** Standard error of the annualised Sharpe ratio. */
  standardError: number;
  lower: number;
  upper: number;
}

/**
 * The interval of an annualised Sharpe ratio `annualSharpe` measured on `bars` returns with
 * `periodsPerYear` bars a year; null when there are fewer than two returns or the inputs are not
 * finite and positive.
 */
export function sharpeInterval(annualSharpe: number, bars: number, periodsPerYear: number, z: number = Z95): SharpeInterval | null {
  if (!Number.isFinite(annualSharpe) || !(bars >= 2) || !(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) return null;
  const perBar = annualSharpe / Math.sqrt(periodsPerYear);
  const standardError = Math.sqrt(periodsPerYear) * Math.sqrt((1 + (perBar * perBar) / 2) / bars);
  return { standardError, lower: annualSharpe - z * standardError, upper: annualSharpe + z * standardError };
}
