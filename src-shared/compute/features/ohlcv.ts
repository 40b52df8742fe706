import type { OhlcvColumns } from '../../domain/ohlcv.js';

export type { OhlcvColumns };

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
