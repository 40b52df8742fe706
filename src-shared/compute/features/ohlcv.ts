/**
 * The column layout every feature, label and sampling function reads: one typed array per field,
 * all the same length, oldest bar first. Columns (not row objects) so that indicators stay
 * vectorized loops over contiguous memory.
 */
export interface OhlcvColumns {
  /** Bar open time, integer UTC milliseconds ({@link EpochMs} values), strictly increasing. */
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Dataset-specific extra columns (funding rate, open interest, …), same length as `ts`. */
  readonly extras?: Readonly<Record<string, Float64Array>>;
}

/** Number of bars; throws when the columns disagree in length, which would silently misalign every feature. */
export function barCount(cols: OhlcvColumns): number {
  const n = cols.ts.length;
  const fields: [string, Float64Array][] = [
    ['open', cols.open],
    ['high', cols.high],
    ['low', cols.low],
    ['close', cols.close],
    ['volume', cols.volume],
  ];
  for (const [name, extra] of Object.entries(cols.extras ?? {})) fields.push([`extras.${name}`, extra]);
  for (const [name, col] of fields) {
    if (col.length !== n) throw new RangeError(`OHLCV column ${name} has ${col.length} values, ts has ${n}`);
  }
  return n;
}
