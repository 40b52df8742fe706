import { decodeBlock, encodeBlock, type DecodedBlock } from '../../../src-shared/compute/blocks/columnBlock.js';
import type { OhlcvColumns } from '../../../src-shared/domain/ohlcv.js';
import type { Db } from '../connection.js';
import { cachedStatement } from '../statements.js';

/**
 * Candles and roll-ups are stored as blocks of up to BLOCK_BARS bars in time order, one row per
 * block in `candle_blocks` (migration 0009), compressed by src-shared/compute/blocks/columnBlock.ts.
 * A series is (dataset_id, timeframe_ms): timeframe_ms 0 holds the dataset's own bars, any other
 * value one of its roll-ups. Blocks of a series never overlap, so ordering them by first_ts orders
 * every bar; a block may hold fewer bars than the maximum (the newest one, or where a merge split).
 *
 * Columns in a block: open, high, low, close, volume (NaN for none), and for roll-ups the bar
 * count last.
 */
export const OWN_BARS = 0;
export const BLOCK_BARS = 4096;

/** A series' bars as columns (NaN volume where there is none). */
export type SeriesColumns = Omit<OhlcvColumns, 'extras'>;

interface BlockRow {
  first_ts: number;
  last_ts: number;
  bars: number;
  data: Buffer;
}

const stmt = cachedStatement;

const decode = (row: BlockRow): DecodedBlock => decodeBlock(new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));

/** Writes one block (the caller keeps blocks of a series from overlapping). */
export function insertBlock(db: Db, datasetId: number, timeframeMs: number, ts: Float64Array, columns: readonly Float64Array[], bars: number): void {
  if (bars === 0) return;
  const data = encodeBlock(ts, columns, bars);
  stmt(db, 'INSERT INTO candle_blocks (dataset_id, timeframe_ms, first_ts, last_ts, bars, data) VALUES (?, ?, ?, ?, ?, ?)').run(
    datasetId,
    timeframeMs,
    ts[0]!,
    ts[bars - 1]!,
    bars,
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  );
}

/** Writes bars (in order, newer than anything stored in the series) as full blocks and one last partial one. */
export function appendSeries(db: Db, datasetId: number, timeframeMs: number, ts: ArrayLike<number>, columns: readonly ArrayLike<number>[]): void {
  const n = ts.length;
  for (let at = 0; at < n; at += BLOCK_BARS) {
    const end = Math.min(n, at + BLOCK_BARS);
    const slice = (a: ArrayLike<number>) => (a instanceof Float64Array ? a.subarray(at, end) : Float64Array.from({ length: end - at }, (_, i) => a[at + i]!));
    insertBlock(db, datasetId, timeframeMs, slice(ts), columns.map(slice), end - at);
  }
}

export function deleteSeries(db: Db, datasetId: number, timeframeMs?: number): void {
  if (timeframeMs === undefined) stmt(db, 'DELETE FROM candle_blocks WHERE dataset_id = ?').run(datasetId);
  else stmt(db, 'DELETE FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ?').run(datasetId, timeframeMs);
}

/** The series' blocks in time order, decoded one at a time, starting with the block that holds `fromTs`. */
export function* seriesBlocks(db: Db, datasetId: number, timeframeMs: number, fromTs = -Infinity): Generator<DecodedBlock> {
  const start = Number.isFinite(fromTs)
    ? ((stmt(db, 'SELECT max(first_ts) FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? AND first_ts <= ?').pluck().get(datasetId, timeframeMs, fromTs) as number | null) ?? -8.64e15)
    : -8.64e15;
  const rows = stmt(db, 'SELECT first_ts, last_ts, bars, data FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? AND first_ts >= ? ORDER BY first_ts').iterate(
    datasetId,
    timeframeMs,
    start,
  ) as IterableIterator<BlockRow>;
  for (const row of rows) yield decode(row);
}

/** The series' blocks newest first, starting with the block that holds `toTs`. */
function* seriesBlocksBackward(db: Db, datasetId: number, timeframeMs: number, toTs: number): Generator<DecodedBlock> {
  const rows = stmt(db, 'SELECT first_ts, last_ts, bars, data FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? AND first_ts <= ? ORDER BY first_ts DESC').iterate(
    datasetId,
    timeframeMs,
    toTs,
  ) as IterableIterator<BlockRow>;
  for (const row of rows) yield decode(row);
}

/** Number of bars in a series, from the block headers (no decoding). */
export function seriesBars(db: Db, datasetId: number, timeframeMs: number): number {
  return (stmt(db, 'SELECT coalesce(sum(bars), 0) FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ?').pluck().get(datasetId, timeframeMs) as number) ?? 0;
}

/** Bars per roll-up timeframe of a dataset (its own bars excluded), from the block headers. */
export function rollupBarCounts(db: Db, datasetId: number): { timeframeMs: number; bars: number }[] {
  return stmt(db, 'SELECT timeframe_ms AS timeframeMs, sum(bars) AS bars FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms <> 0 GROUP BY timeframe_ms ORDER BY timeframe_ms').all(datasetId) as {
    timeframeMs: number;
    bars: number;
  }[];
}

function emptyColumns(n: number, extra: number): SeriesColumns & { more: Float64Array[] } {
  return {
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    more: Array.from({ length: extra }, () => new Float64Array(n)),
  };
}

function copyInto(out: SeriesColumns & { more: Float64Array[] }, at: number, b: DecodedBlock, from: number, to: number): void {
  out.ts.set(b.ts.subarray(from, to), at);
  out.open.set(b.columns[0]!.subarray(from, to), at);
  out.high.set(b.columns[1]!.subarray(from, to), at);
  out.low.set(b.columns[2]!.subarray(from, to), at);
  out.close.set(b.columns[3]!.subarray(from, to), at);
  out.volume.set(b.columns[4]!.subarray(from, to), at);
  out.more.forEach((m, k) => m.set(b.columns[5 + k]!.subarray(from, to), at));
}

const firstAtOrAfter = (ts: Float64Array, t: number) => {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * Bars of a series with from ≤ ts ≤ to: at most `limit`, the oldest ('first') or the newest
 * ('last') of the range, always returned oldest first.
 */
export function readSeriesRange(db: Db, datasetId: number, timeframeMs: number, from: number, to: number, limit: number, anchor: 'first' | 'last'): SeriesColumns {
  const parts: { b: DecodedBlock; i: number; j: number }[] = [];
  let total = 0;
  if (anchor === 'first') {
    for (const b of seriesBlocks(db, datasetId, timeframeMs, from)) {
      if (total >= limit || b.ts[0]! > to) break;
      const i = firstAtOrAfter(b.ts, from);
      const j = Math.min(firstAtOrAfter(b.ts, to + 0.5), i + (limit - total));
      if (j > i) parts.push({ b, i, j });
      total += Math.max(0, j - i);
    }
  } else {
    for (const b of seriesBlocksBackward(db, datasetId, timeframeMs, to)) {
      if (total >= limit || b.ts[b.bars - 1]! < from) break;
      const j = firstAtOrAfter(b.ts, to + 0.5);
      const i = Math.max(firstAtOrAfter(b.ts, from), j - (limit - total));
      if (j > i) parts.unshift({ b, i, j });
      total += Math.max(0, j - i);
    }
  }
  const out = emptyColumns(total, 0);
  let at = 0;
  for (const p of parts) {
    copyInto(out, at, p.b, p.i, p.j);
    at += p.j - p.i;
  }
  return out;
}

/** The next `limit` bars after `afterTs` (a bounded page of a long series). */
export function readSeriesPage(db: Db, datasetId: number, timeframeMs: number, afterTs: number, limit: number): SeriesColumns {
  // ts are integer ms: "after" is "at or after afterTs + 0.5"
  return readSeriesRange(db, datasetId, timeframeMs, Number.isFinite(afterTs) ? afterTs + 0.5 : -8.64e15, 8.64e15, limit, 'first');
}

/** A whole series as typed arrays; `withCount` adds a roll-up's bar counts. */
export function readSeriesAll(db: Db, datasetId: number, timeframeMs: number, withCount = false): SeriesColumns & { count?: Float64Array } {
  const out = emptyColumns(seriesBars(db, datasetId, timeframeMs), withCount ? 1 : 0);
  let at = 0;
  for (const b of seriesBlocks(db, datasetId, timeframeMs)) {
    // a concurrent writer cannot change the series mid-read (one read transaction), so the sizes agree
    copyInto(out, at, b, 0, b.bars);
    at += b.bars;
  }
  const { more, ...cols } = out;
  return withCount ? { ...cols, count: more[0]! } : cols;
}

/** The stored block holding `ts` (the one with the greatest first_ts ≤ ts, else the series' first). */
function blockFor(db: Db, datasetId: number, timeframeMs: number, ts: number): BlockRow | undefined {
  return (stmt(db, 'SELECT first_ts, last_ts, bars, data FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? AND first_ts <= ? ORDER BY first_ts DESC LIMIT 1').get(datasetId, timeframeMs, ts) ??
    stmt(db, 'SELECT first_ts, last_ts, bars, data FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? ORDER BY first_ts LIMIT 1').get(datasetId, timeframeMs)) as BlockRow | undefined;
}

function nextBlockStart(db: Db, datasetId: number, timeframeMs: number, firstTs: number): number {
  return (stmt(db, 'SELECT min(first_ts) FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? AND first_ts > ?').pluck().get(datasetId, timeframeMs, firstTs) as number | null) ?? Infinity;
}

/** Equal numbers, or both missing (NaN stands for a NULL volume). */
const sameValue = (a: number, b: number) => a === b || (a !== a && b !== b);

/** One bar as the merge sees it: values in block column order, and the file line it came from. */
export interface MergeRow {
  ts: number;
  values: number[];
  line: number;
}

/**
 * What happens to each incoming bar whose time is already stored or arrived out of order:
 * 'new' (its time was free), 'same' (identical repeat) or 'replaced' (different values; the
 * incoming bar wins), with the stored values it met.
 */
export type MergeOutcome = 'new' | 'same' | 'replaced';

/**
 * Merges bars (sorted by ts, then by line) into a series: each block they fall into is read once,
 * rewritten with them, and split when it grows past BLOCK_BARS. `onRow` learns each bar's outcome
 * in that order.
 */
export function mergeIntoSeries<R extends MergeRow>(db: Db, datasetId: number, timeframeMs: number, rows: readonly R[], onRow: (row: R, outcome: MergeOutcome) => void): void {
  let k = 0;
  while (k < rows.length) {
    const block = blockFor(db, datasetId, timeframeMs, rows[k]!.ts);
    const stored = block ? decode(block) : null;
    const limit = block ? nextBlockStart(db, datasetId, timeframeMs, block.first_ts) : Infinity;
    let end = k;
    while (end < rows.length && rows[end]!.ts < limit) end++;
    const width = stored ? stored.columns.length : rows[k]!.values.length;
    const ts: number[] = [];
    const cols: number[][] = Array.from({ length: width }, () => []);
    let s = 0;
    const sn = stored ? stored.bars : 0;
    const pushStored = () => {
      ts.push(stored!.ts[s]!);
      for (let c = 0; c < width; c++) cols[c]!.push(stored!.columns[c]![s]!);
      s++;
    };
    for (let r = k; r < end; r++) {
      const row = rows[r]!;
      while (s < sn && stored!.ts[s]! < row.ts) pushStored();
      const last = ts.length - 1;
      if (last >= 0 && ts[last] === row.ts) {
        // an earlier incoming bar of this time is already in place
        const differs = row.values.some((v, c) => !sameValue(v, cols[c]![last]!));
        if (differs) row.values.forEach((v, c) => (cols[c]![last] = v));
        onRow(row, differs ? 'replaced' : 'same');
      } else if (s < sn && stored!.ts[s] === row.ts) {
        pushStored();
        const at = ts.length - 1;
        const differs = row.values.some((v, c) => !sameValue(v, cols[c]![at]!));
        if (differs) row.values.forEach((v, c) => (cols[c]![at] = v));
        onRow(row, differs ? 'replaced' : 'same');
      } else {
        ts.push(row.ts);
        row.values.forEach((v, c) => cols[c]!.push(v));
        onRow(row, 'new');
      }
    }
    while (s < sn) pushStored();
    if (block) stmt(db, 'DELETE FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? AND first_ts = ?').run(datasetId, timeframeMs, block.first_ts);
    // even blocks: a merge that grew a block by a little does not leave a sliver behind
    const pieces = Math.ceil(ts.length / BLOCK_BARS);
    const size = Math.ceil(ts.length / pieces);
    for (let at = 0; at < ts.length; at += size) {
      const e = Math.min(ts.length, at + size);
      insertBlock(db, datasetId, timeframeMs, Float64Array.from(ts.slice(at, e)), cols.map((c) => Float64Array.from(c.slice(at, e))), e - at);
    }
    k = end;
  }
}

/**
 * Appends bars newer than anything in the series, a block at a time. A partial newest block
 * left by an earlier import is taken back in and rewritten full, so appending day by day does
 * not leave a trail of small blocks.
 */
export class SeriesAppender {
  private readonly ts = new Float64Array(BLOCK_BARS);
  private readonly cols: Float64Array[];
  private n = 0;
  private resumed = false;

  constructor(
    private readonly db: Db,
    private readonly datasetId: number,
    private readonly timeframeMs: number,
    width: number,
  ) {
    this.cols = Array.from({ length: width }, () => new Float64Array(BLOCK_BARS));
  }

  private resume(): void {
    this.resumed = true;
    const row = stmt(this.db, 'SELECT first_ts, last_ts, bars, data FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? ORDER BY first_ts DESC LIMIT 1').get(this.datasetId, this.timeframeMs) as
      | BlockRow
      | undefined;
    if (!row || row.bars >= BLOCK_BARS) return;
    const b = decode(row);
    if (b.columns.length !== this.cols.length) return;
    stmt(this.db, 'DELETE FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = ? AND first_ts = ?').run(this.datasetId, this.timeframeMs, row.first_ts);
    this.ts.set(b.ts);
    b.columns.forEach((c, k) => this.cols[k]!.set(c));
    this.n = b.bars;
  }

  /** Appends one bar; `values` in block column order. */
  push(ts: number, v0: number, v1: number, v2: number, v3: number, v4: number): void {
    if (!this.resumed) this.resume();
    const i = this.n;
    this.ts[i] = ts;
    const c = this.cols;
    c[0]![i] = v0;
    c[1]![i] = v1;
    c[2]![i] = v2;
    c[3]![i] = v3;
    c[4]![i] = v4;
    if (++this.n === BLOCK_BARS) this.flush();
  }

  /** Appends rows [from, to) of columns (ts, then the block's columns in order), a block-sized slice at a time. */
  pushColumns(ts: Float64Array, columns: readonly Float64Array[], from: number, to: number): void {
    if (!this.resumed) this.resume();
    while (from < to) {
      const take = Math.min(to - from, BLOCK_BARS - this.n);
      this.ts.set(ts.subarray(from, from + take), this.n);
      columns.forEach((c, k) => this.cols[k]!.set(c.subarray(from, from + take), this.n));
      this.n += take;
      from += take;
      if (this.n === BLOCK_BARS) this.flush();
    }
  }

  /** Writes the bars held so far (a partial block); the next push takes it back in. */
  flush(): void {
    if (this.n > 0) insertBlock(this.db, this.datasetId, this.timeframeMs, this.ts, this.cols, this.n);
    if (this.n < BLOCK_BARS) this.resumed = false;
    this.n = 0;
  }
}
