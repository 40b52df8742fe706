/**
 * Candles as columns: one typed array per field, all the same length, oldest bar first, sorted by
 * `ts` (bar open time, integer UTC milliseconds, exact in a Float64Array up to 2^53). Columnar so
 * indicators, rollups, health checks and bulk inserts walk one contiguous field at a time, and
 * typed arrays cross worker boundaries without copying.
 */
export interface OhlcvColumns {
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Dataset-specific extra columns (funding rate, open interest, …), same length as `ts`. */
  readonly extras?: Readonly<Record<string, Float64Array>>;
}
