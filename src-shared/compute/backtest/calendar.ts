import { durationMs, type DurationMs } from '../../domain/units.js';
import type { CalendarMode } from './settings.js';

/** Length of the year used for annualization: 365.25 days (Julian year). */
export const YEAR_MS = 365.25 * 86_400_000;

/** How bars map to years for annualizing returns, volatility, turnover. */
export interface AnnualizationCalendar {
  calendar: '24/7' | 'sessions';
  periodsPerYear: number;
  /** Median spacing of consecutive bars. */
  barSpacingMs: DurationMs;
}

/**
 * Median of the consecutive differences of a sorted timestamp column (0 for fewer than 2 bars).
 * Market data is mostly evenly spaced, so a spacing held by more than half of the intervals (found
 * with the Boyer–Moore majority vote, O(n)) is the median without sorting; otherwise it sorts.
 */
export function medianSpacing(ts: Float64Array): DurationMs {
  const n = ts.length;
  if (n < 2) return durationMs(0);
  let candidate = 0;
  let votes = 0;
  for (let i = 1; i < n; i++) {
    const d = ts[i] - ts[i - 1];
    if (votes === 0) {
      candidate = d;
      votes = 1;
    } else votes += d === candidate ? 1 : -1;
  }
  let count = 0;
  for (let i = 1; i < n; i++) if (ts[i] - ts[i - 1] === candidate) count++;
  if (2 * count > n - 1) return durationMs(candidate);
  const d = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) d[i - 1] = ts[i] - ts[i - 1];
  d.sort();
  const m = d.length >> 1;
  return durationMs(d.length % 2 === 1 ? d[m] : (d[m - 1] + d[m]) / 2);
}

/**
 * Periods per year for annualizing bar statistics.
 * - `24/7` markets (crypto): periods = 365.25 d / median bar spacing.
 * - Markets with sessions (stocks, futures, FX with weekend gaps): the data's own calendar,
 *   periods = (n − 1) bar intervals / span in years. (Counting intervals rather than bars keeps a
 *   year of 252 daily bars at ≈ 252, since the span is first-to-last timestamp.)
 * - `auto` picks `sessions` when the bars cover less than 95 % of their span, i.e. when
 *   (span − (n − 1) × median spacing) / span > 5 %: weekends alone remove 2/7 of the time, while
 *   a 24/7 feed with a few outages stays well under 5 %.
 */
export function annualizationCalendar(ts: Float64Array, mode: CalendarMode): AnnualizationCalendar {
  const n = ts.length;
  const spacing = medianSpacing(ts);
  if (n < 2 || spacing <= 0) return { calendar: '24/7', periodsPerYear: 1, barSpacingMs: spacing };
  const span = ts[n - 1] - ts[0];
  const missing = (span - (n - 1) * spacing) / span;
  const calendar = mode === 'auto' ? (missing > 0.05 ? 'sessions' : '24/7') : mode;
  const periodsPerYear = calendar === '24/7' ? YEAR_MS / spacing : (n - 1) / (span / YEAR_MS);
  return { calendar, periodsPerYear, barSpacingMs: spacing };
}
