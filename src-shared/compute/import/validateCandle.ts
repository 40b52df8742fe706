/**
 * The candle rule every imported row must pass. Returns null for a valid candle, or a short
 * reason such as "high 10 is below low 12". Volume may be NaN (the file has no volume or the
 * cell is empty) but never negative; prices must be positive and finite, with
 * low ≤ open, close ≤ high. Comparisons are exact: both sides were parsed from the same text.
 */
export function validateCandle(open: number, high: number, low: number, close: number, volume: number): string | null {
  if (!Number.isFinite(open)) return `open ${open} is not a finite number`;
  if (!Number.isFinite(high)) return `high ${high} is not a finite number`;
  if (!Number.isFinite(low)) return `low ${low} is not a finite number`;
  if (!Number.isFinite(close)) return `close ${close} is not a finite number`;
  if (!(low > 0)) return `low ${low} is not a positive price`;
  if (!(open > 0)) return `open ${open} is not a positive price`;
  if (!(close > 0)) return `close ${close} is not a positive price`;
  if (high < low) return `high ${high} is below low ${low}`;
  if (open < low || open > high) return `open ${open} is outside the low–high range ${low}–${high}`;
  if (close < low || close > high) return `close ${close} is outside the low–high range ${low}–${high}`;
  if (volume < 0) return `volume ${volume} is negative`;
  if (volume === Infinity) return 'volume is infinite';
  return null;
}
