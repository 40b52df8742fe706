/**
 * Rollups: coarser candles built from a dataset's base candles, so a chart viewport at any zoom
 * is one index range scan.
 *
 * Buckets are aligned in UTC: a base candle with open time ts belongs to the bucket starting at
 * floor(ts / target) · target, so 1h buckets start on the hour, 4h buckets at 00, 04, … 20 UTC
 * and 1d buckets at 00:00 UTC. Weeks (and multiples of a week) are the exception: the Unix epoch
 * fell on a Thursday, so they are aligned to Monday 00:00 UTC instead (ISO 8601 weeks, the
 * convention of exchanges' and TradingView's weekly candles). A base candle is assigned by its
 * open time only, even where its span crosses a bucket boundary (e.g. 3h bars opening at 22:00).
 *
 * Aggregation: open = first, high = max, low = min, close = last, volume = sum (a NaN volume makes
 * the bucket's volume NaN: unknown stays unknown), count = number of base candles. A bucket with
 * count < target / base is partial (missing bars, or the first/last bucket of the data).
 */
import { ROLLUP_TIMEFRAMES, timeframeToMs } from '../../domain/timeframe.js';
import type { DurationMs, EpochMs } from '../../domain/units.js';
import type { OhlcvColumns } from './columns.js';

/** Rolled-up candles: `ts` is the bucket start; `count` the base candles that fell in it. */
export interface RolledCandles extends OhlcvColumns {
  readonly count: Uint32Array;
}

const WEEK_MS = 604_800_000;
/** 1970-01-05T00:00:00Z, the first Monday after the epoch. */
const FIRST_MONDAY_MS = 4 * 86_400_000;

/** Start of the UTC-aligned bucket of `targetMs` holding `ts` (week multiples start on Monday). */
export function bucketStart(ts: number, targetMs: number): EpochMs {
  const origin = targetMs % WEEK_MS === 0 ? FIRST_MONDAY_MS : 0;
  return (Math.floor((ts - origin) / targetMs) * targetMs + origin) as EpochMs;
}

/**
 * The standard rollup timeframes (5m, 15m, 1h, 4h, 1d, 1w) strictly coarser than `baseMs` and
 * whole multiples of it, finest first. A 3m base gets 15m, 1h, 4h, 1d, 1w but not 5m.
 */
export function rollupTargets(baseMs: DurationMs): DurationMs[] {
  return ROLLUP_TIMEFRAMES.map((label) => timeframeToMs(label)!).filter((t) => t > baseMs && t % baseMs === 0);
}

function checkTimeframes(baseMs: number, targetMs: number): void {
  if (!Number.isInteger(baseMs) || baseMs <= 0) throw new RangeError(`base timeframe must be a positive integer of ms, got ${baseMs}`);
  if (!Number.isInteger(targetMs) || targetMs <= baseMs || targetMs % baseMs !== 0) {
    throw new RangeError(`rollup target ${targetMs} ms must be a multiple of the base ${baseMs} ms and coarser`);
  }
}

/**
 * Streaming rollup: push base candles in chunks (sorted, strictly increasing across chunks) and
 * get back the buckets each chunk completed; `flush()` returns the last, possibly partial one.
 * A bucket is emitted when the first candle of a later bucket arrives, so the importer can store
 * rollups while it streams, holding one bucket at a time. (Not earlier, on the bucket's last
 * grid slot: a base candle off the grid could still fall in it, and must not split the bucket.)
 */
export class RollupAccumulator {
  readonly baseMs: DurationMs;
  readonly targetMs: DurationMs;
  private lastTs = -Infinity;
  private start = NaN;
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  private volume = 0;
  private count = 0;

  constructor(baseMs: DurationMs, targetMs: DurationMs) {
    checkTimeframes(baseMs, targetMs);
    this.baseMs = baseMs;
    this.targetMs = targetMs;
  }

  /** Folds a chunk in; returns the buckets it completed (empty columns when none). */
  push(chunk: OhlcvColumns): RolledCandles {
    const { ts, open, high, low, close, volume } = chunk;
    const n = ts.length;
    const target = this.targetMs as number;
    // Buckets completed here: at most one per candle, and at most one per target span covered
    // (plus the open one before): sized by that, not by n, a 1M-candle chunk does not allocate
    // seven 1M-long columns for a few thousand weekly bars.
    const out = allocate(n === 0 ? 1 : Math.min(n + 1, Math.floor((ts[n - 1]! - ts[0]!) / target) + 3));
    let m = 0;
    for (let i = 0; i < n; i++) {
      const t = ts[i]!;
      if (!(t > this.lastTs)) throw new RangeError(`candles must be strictly increasing in time: ${t} after ${this.lastTs}`);
      this.lastTs = t;
      const b = bucketStart(t, target);
      if (b !== this.start) {
        if (this.count > 0) m = this.emit(out, m);
        this.start = b;
        this.open = open[i]!;
        this.high = high[i]!;
        this.low = low[i]!;
        this.volume = volume[i]!;
        this.count = 1;
      } else {
        const h = high[i]!;
        const l = low[i]!;
        if (h > this.high) this.high = h;
        if (l < this.low) this.low = l;
        this.volume += volume[i]!;
        this.count++;
      }
      this.close = close[i]!;
    }
    return trim(out, m);
  }

  /** Emits the open bucket, partial or not, and resets; call once the input has ended. */
  flush(): RolledCandles {
    const out = allocate(1);
    return trim(out, this.count > 0 ? this.emit(out, 0) : 0);
  }

  private emit(out: RolledCandles, m: number): number {
    out.ts[m] = this.start;
    out.open[m] = this.open;
    out.high[m] = this.high;
    out.low[m] = this.low;
    out.close[m] = this.close;
    out.volume[m] = this.volume;
    out.count[m] = this.count;
    this.count = 0;
    this.start = NaN;
    return m + 1;
  }
}

function allocate(n: number): RolledCandles {
  return {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    count: new Uint32Array(n),
  };
}

function trim(c: RolledCandles, m: number): RolledCandles {
  return {
    ts: c.ts.slice(0, m),
    open: c.open.slice(0, m),
    high: c.high.slice(0, m),
    low: c.low.slice(0, m),
    close: c.close.slice(0, m),
    volume: c.volume.slice(0, m),
    count: c.count.slice(0, m),
  };
}

/**
 * Rolls sorted base candles of `baseMs` up to `targetMs` (a coarser multiple of it), on
 * UTC-aligned buckets with weeks starting Monday 00:00 UTC; see the module header for the rules.
 * Empty buckets are skipped, not filled.
 */
export function rollupCandles(cols: OhlcvColumns, baseMs: DurationMs, targetMs: DurationMs): RolledCandles {
  const acc = new RollupAccumulator(baseMs, targetMs);
  const body = acc.push(cols);
  const tail = acc.flush();
  if (tail.ts.length === 0) return body;
  return concat([body, tail]);
}

/** Joins emitted batches end to end (e.g. everything a streaming import produced). */
export function concatRolled(parts: readonly RolledCandles[]): RolledCandles {
  return concat(parts);
}

function concat(parts: readonly RolledCandles[]): RolledCandles {
  const n = parts.reduce((s, p) => s + p.ts.length, 0);
  const out = allocate(n);
  let at = 0;
  for (const p of parts) {
    out.ts.set(p.ts, at);
    out.open.set(p.open, at);
    out.high.set(p.high, at);
    out.low.set(p.low, at);
    out.close.set(p.close, at);
    out.volume.set(p.volume, at);
    out.count.set(p.count, at);
    at += p.ts.length;
  }
  return out;
}
