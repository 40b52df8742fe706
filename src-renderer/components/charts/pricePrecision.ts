/**
 * The price axis of a candle chart shows as many decimals as the data is quoted in: EURUSD in
 * 1.10523 (5 decimals, a pip of 0.0001 and its tenth), BTC/USDT in 97012.34 (2). Charting
 * libraries default to 2 decimals, which turns a forex axis into "1.10 / 1.10 / 1.10".
 *
 * The decimals are read from the values themselves, not from the symbol: exports of the same
 * instrument differ by venue (a broker quoting EURUSD in 5 decimals, another in 4), and a symbol
 * list would always be incomplete.
 */

/** Beyond this, decimals are float noise or synthetic data, not a quote convention. */
const MAX_DECIMALS = 10;
/** Significant digits a price axis needs to tell neighbouring ticks apart at any magnitude. */
const SIGNIFICANT_DIGITS = 6;
/** Prices read per call: a quote convention shows within a few hundred bars. */
const SAMPLE = 500;

export interface PricePrecision {
  /** Decimals shown on the axis and in the legend. */
  precision: number;
  /** The smallest price step (the tick size): 10^-precision. */
  minMove: number;
}

/**
 * Decimals needed to write `v` exactly, up to MAX_DECIMALS. Float storage makes 1.10523 read as
 * 1.1052299999999999, so a value counts as written in `d` decimals when it is that close to a
 * multiple of 10^-d (a relative tolerance far below any real tick, far above binary rounding).
 */
export function decimalsOf(v: number): number {
  if (!Number.isFinite(v)) return 0;
  for (let d = 0; d < MAX_DECIMALS; d++) {
    const scaled = v * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) return d;
  }
  return MAX_DECIMALS;
}

/**
 * The tick size of a price series, from the decimals its values are written in: the most any of
 * the last SAMPLE values uses. Values with more decimals than SIGNIFICANT_DIGITS allow at the
 * series' magnitude (computed or synthetic prices such as 100.0734912) are shown to that many
 * significant digits instead, so the axis stays readable. An empty series gets 2 decimals.
 */
export function pricePrecisionFromData(...series: ArrayLike<number>[]): PricePrecision {
  let decimals = -1;
  let magnitude = 0;
  for (const values of series) {
    for (let i = Math.max(0, values.length - SAMPLE); i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      decimals = Math.max(decimals, decimalsOf(v));
      magnitude = Math.max(magnitude, Math.abs(v));
    }
  }
  if (decimals < 0) return withMove(2);
  // the digits before the point of the largest value; a price below 1 has leading zeros after it
  const intDigits = magnitude > 0 ? Math.floor(Math.log10(magnitude)) + 1 : 1;
  const readable = Math.max(0, SIGNIFICANT_DIGITS - intDigits);
  return withMove(Math.min(decimals, Math.max(readable, 2), MAX_DECIMALS));
}

function withMove(precision: number): PricePrecision {
  return { precision, minMove: Number((10 ** -precision).toFixed(precision)) };
}

/** A price written with the series' precision (the chart legend, beside the axis). */
export const formatPrice = (v: number, p: PricePrecision): string => v.toFixed(p.precision);
