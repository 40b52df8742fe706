/**
 * Candles as columns: one typed array per field, all the same length, sorted by `ts`.
 * Timestamps are integer UTC milliseconds (bar open time) stored in a Float64Array, exact up to
 * 2^53. Columnar because every consumer (charts, features, SQLite bulk inserts) walks one field
 * at a time, and typed arrays cross worker boundaries without copying.
 */
export interface OhlcvColumns {
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}
