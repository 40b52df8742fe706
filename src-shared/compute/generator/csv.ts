/**
 * CSV output of generated series, in the layout Candela's importer reads back:
 * `timestamp,open,high,low,close,volume[,signal]`, timestamp in integer UTC milliseconds.
 */
import { msToTimeframe } from '../../domain/timeframe.js';
import type { OhlcvColumns } from '../rollup/columns.js';

export interface CsvOptions {
  /** Append the planted signal as a `signal` column; the series must have `signalFeature`. */
  readonly includeSignal?: boolean;
  /** Rows per yielded chunk. Default 20 000 (about 1.5 MB of text). */
  readonly rowsPerChunk?: number;
}

const SIGNIFICANT_DIGITS = 10;
const MAX_DECIMALS = 15;
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);

/**
 * Shortest decimal text of `x` rounded to 10 significant digits (at most 15 decimals). Rounding
 * is monotone and powers of ten lie on every rounding grid, so a row that satisfies
 * low ≤ open, close ≤ high still does once printed. (Math.round on a scaled value is about
 * twice as fast as `toPrecision`, which matters at a million rows.)
 */
function formatNumber(x: number): string {
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, Math.min(MAX_DECIMALS, SIGNIFICANT_DIGITS - 1 - magnitude));
  const scale = POW10[decimals]!;
  return String(Math.round(x * scale) / scale);
}

/**
 * The CSV text of one series, as a sequence of chunks (the first starts with the header line),
 * so that a million rows can be written to a stream without building one giant string.
 */
export function* formatCandlesCsv(
  series: OhlcvColumns & { readonly signalFeature?: Float64Array },
  options: CsvOptions = {},
): Generator<string, void, undefined> {
  const signal = options.includeSignal ? series.signalFeature : undefined;
  if (options.includeSignal && !signal) throw new Error('includeSignal asked for a series without signalFeature');
  const rowsPerChunk = options.rowsPerChunk ?? 20_000;
  if (!Number.isInteger(rowsPerChunk) || rowsPerChunk <= 0) throw new RangeError(`rowsPerChunk must be a positive integer, got ${rowsPerChunk}`);
  const { ts, open, high, low, close, volume } = series;
  const n = ts.length;
  const lines: string[] = [signal ? 'timestamp,open,high,low,close,volume,signal' : 'timestamp,open,high,low,close,volume'];
  for (let i = 0; i < n; i++) {
    let line = `${ts[i]},${formatNumber(open[i]!)},${formatNumber(high[i]!)},${formatNumber(low[i]!)},${formatNumber(close[i]!)},${formatNumber(volume[i]!)}`;
    if (signal) line += `,${formatNumber(signal[i]!)}`;
    lines.push(line);
    if (lines.length >= rowsPerChunk) {
      yield lines.join('\n') + '\n';
      lines.length = 0;
    }
  }
  if (lines.length > 0) yield lines.join('\n') + '\n';
}

/**
 * File name for a generated series: `BTC/USDT` at 5 minutes → `BTC_USDT_5m.csv`. Anything but
 * letters, digits, `-` and `.` becomes `_`, so the name is safe on every file system.
 */
export function generatedFileName(symbol: string, timeframe: string | number): string {
  const label = typeof timeframe === 'number' ? msToTimeframe(timeframe) : timeframe;
  const safe = (text: string): string => text.replace(/[^A-Za-z0-9.-]+/g, '_');
  return `${safe(symbol)}_${safe(label)}.csv`;
}
