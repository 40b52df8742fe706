import { sharpeInterval, type SharpeInterval } from '../compute/analytics/sharpeInterval.js';

const YEAR_DAYS = 365.25;

/** A test period in the unit a person reads it in: days under two months, months under two years, else years. */
export function testPeriodText(years: number): string {
  const days = years * YEAR_DAYS;
  if (days < 61) {
    const d = Math.max(1, Math.round(days));
    return `${d} day${d === 1 ? '' : 's'}`;
  }
  if (years < 2) return `${Math.round(days / 30.44)} months`;
  return `${Number(years.toFixed(1))} years`;
}

export interface AnnualisedCaveat {
  /** Length of the test in years: bars over bars per year. */
  years: number;
  /** The Sharpe ratio's 95 % interval (Lo 2002, IID); null when the Sharpe ratio is undefined. */
  sharpeInterval: SharpeInterval | null;
  /** The sentence to show beside annualised figures; null when the test covers a year or more. */
  warning: string | null;
}

/**
 * What annualised figures of a backtest can be trusted with. Below a year of bars, a Sharpe ratio
 * or CAGR extrapolates a few days or weeks to a year (ten good days read as +145 Sharpe), so the
 * figures carry a sentence saying how long the test was and the Sharpe ratio's interval, which
 * widens as the test shortens.
 */
export function annualisedCaveat(m: { bars: number; periodsPerYear: number; sharpe: number | null }): AnnualisedCaveat {
  const years = m.periodsPerYear > 0 ? m.bars / m.periodsPerYear : 0;
  const interval = m.sharpe === null ? null : sharpeInterval(m.sharpe, m.bars, m.periodsPerYear);
  const range = interval ? ` (Sharpe 95 % interval ${interval.lower.toFixed(1)} to ${interval.upper.toFixed(1)})` : '';
  const warning = years < 1 ? `Test covers ${testPeriodText(years)}; annualised Sharpe, Sortino and CAGR are unreliable${range}.` : null;
  return { years, sharpeInterval: interval, warning };
}
