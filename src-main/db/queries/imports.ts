import type { Statement } from 'better-sqlite3';
import type { Db } from '../connection.js';
import { cachedStatement } from '../statements.js';
import { CandleBatch } from '../../../src-shared/compute/import/candleBatch.js';
import type { Instrument } from '../../../src-shared/compute/import/instrument.js';
import { findInstrumentDataset } from './datasets.js';
import { mergeIntoSeries, OWN_BARS, SeriesAppender, type MergeRow } from './candleBlocks.js';

const RECENT_LINES = 1024;
/** Past this many rows the importer reads the dataset back instead of holding its columns. */
const MAX_COLLECTED_ROWS = 1_000_000;
/** Bars that arrived out of order are merged in batches of this many (bounded memory). */
const MERGE_BATCH = 65_536;
const NO_EXTRAS: number[] = [];

export interface DuplicateSample {
  ts: number;
  /** The line that was replaced (0 when it came from an earlier import) and the line kept. */
  lines: number[];
}

/**
 * Writes one file's candles into a dataset inside the caller's transaction. Bars newer than
 * anything seen so far (the usual, sorted case) are appended a block at a time; any other bar is
 * held and merged into the blocks it belongs to (in batches, and before the end), so duplicates
 * are counted exactly: an identical repeat is dropped, a differing one replaces the stored bar
 * (documented rule: the last line in the file, or the newer import, wins).
 *
 * Merging later gives the same outcome as looking each bar up on arrival: an appended bar is
 * newer than every bar held back before it, so the two never meet, and held bars are merged in
 * line order for each time.
 */
export class CandleWriter {
  newRows = 0;
  duplicates = 0;
  conflicts = 0;
  readonly conflictSample: DuplicateSample[] = [];
  firstTs = Infinity;
  lastTs = -Infinity;
  private maxSeen: number;
  /** The last RECENT_LINES appended (ts, line) pairs, to name the earlier line of a conflict without a map of every row. */
  private readonly recentTs = new Float64Array(RECENT_LINES);
  private readonly recentLine = new Int32Array(RECENT_LINES);
  private recentAt = 0;
  /** The dataset's candles in time order while every row so far was new and in order (see `collected`). */
  private collector: CandleBatch | null;
  private readonly appender: SeriesAppender;
  /** Bars held for a merge, with the line that last wrote their time when they arrived (0: none known). */
  private held: (MergeRow & { earlier: number })[] = [];
  private readonly extraInsert: { one: Statement; upsert: Statement }[];
  private readonly extrasPending: number[][];

  constructor(
    private readonly db: Db,
    private readonly datasetId: number,
    existingLastTs: number | null,
    private readonly extraColumnIds: number[],
    /**
     * Hold the columns for rollups and health, sized for about this many rows (0: do not hold
     * them, pointless when the file is known to be too large).
     */
    collectRows = 4096,
  ) {
    this.maxSeen = existingLastTs ?? -Infinity;
    this.appender = new SeriesAppender(db, datasetId, OWN_BARS, 5);
    this.extraInsert = extraColumnIds.map(() => ({
      one: cachedStatement(db, 'INSERT INTO extra_values (column_id, ts, value) VALUES (?, ?, ?)'),
      upsert: cachedStatement(db, 'INSERT INTO extra_values (column_id, ts, value) VALUES (?, ?, ?) ON CONFLICT(column_id, ts) DO UPDATE SET value = excluded.value'),
    }));
    this.extrasPending = extraColumnIds.map(() => []);
    this.collector = existingLastTs === null && collectRows > 0 ? new CandleBatch(0, Math.min(collectRows, MAX_COLLECTED_ROWS)) : null;
  }

  /**
   * The dataset's full candle columns when this file created it and arrived in order, so rollups
   * and health need not read it back; null otherwise (the caller reads the dataset instead).
   */
  collected(): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } | null {
    const c = this.collector;
    if (!c) return null;
    const n = c.length;
    return { ts: c.ts.subarray(0, n), open: c.open.subarray(0, n), high: c.high.subarray(0, n), low: c.low.subarray(0, n), close: c.close.subarray(0, n), volume: c.volume.subarray(0, n) };
  }

  private remember(ts: number, line: number): void {
    const i = this.recentAt++ & (RECENT_LINES - 1);
    this.recentTs[i] = ts;
    this.recentLine[i] = line;
  }

  private earlierLine(ts: number): number {
    for (let i = 0; i < RECENT_LINES; i++) if (this.recentTs[i] === ts) return this.recentLine[i]!;
    return 0;
  }

  /**
   * Writes rows [0, rows) of parsed columns (no extra columns). A batch that is wholly newer
   * than everything so far and in order, the usual case, goes in with a few array copies and
   * true is returned; any other takes `write` row by row (false).
   */
  writeColumns(c: { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array; lineNo: Int32Array }, rows: number): boolean {
    if (rows === 0) return true;
    const ts = c.ts;
    let inOrder = this.extraColumnIds.length === 0 && ts[0]! > this.maxSeen;
    for (let i = 1; i < rows && inOrder; i++) inOrder = ts[i]! > ts[i - 1]!;
    if (!inOrder) {
      for (let i = 0; i < rows; i++) this.write(ts[i]!, c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!, c.lineNo[i]!, NO_EXTRAS);
      return false;
    }
    if (ts[0]! < this.firstTs) this.firstTs = ts[0]!;
    if (ts[rows - 1]! > this.lastTs) this.lastTs = ts[rows - 1]!;
    this.maxSeen = ts[rows - 1]!;
    this.appender.pushColumns(ts, [c.open, c.high, c.low, c.close, c.volume], 0, rows);
    for (let i = Math.max(0, rows - RECENT_LINES); i < rows; i++) this.remember(ts[i]!, c.lineNo[i]!);
    if (this.collector) {
      if (this.collector.length + rows > MAX_COLLECTED_ROWS) this.collector = null;
      else this.collector.appendColumns(c, 0, rows);
    }
    this.newRows += rows;
    return true;
  }

  write(ts: number, o: number, h: number, l: number, c: number, v: number, line: number, extras: ArrayLike<number>): void {
    if (ts < this.firstTs) this.firstTs = ts;
    if (ts > this.lastTs) this.lastTs = ts;
    if (ts > this.maxSeen) {
      this.maxSeen = ts;
      this.appender.push(ts, o, h, l, c, v);
      this.remember(ts, line);
      if (this.collector) {
        // Past the cap the columns would cost more memory than reading the dataset back.
        if (this.collector.length >= MAX_COLLECTED_ROWS) this.collector = null;
        else this.collector.append(ts, o, h, l, c, v, line);
      }
      for (let k = 0; k < extras.length; k++) if (!Number.isNaN(extras[k]!)) this.extrasPending[k]!.push(ts, extras[k]!);
      this.newRows++;
      return;
    }
    // Out of order, or overlapping earlier data: held for a merge; its extras replace stored ones now.
    this.collector = null;
    this.held.push({ ts, values: [o, h, l, c, v], line, earlier: this.earlierLine(ts) });
    this.flushExtras();
    for (let k = 0; k < extras.length; k++) if (!Number.isNaN(extras[k]!)) this.extraInsert[k]!.upsert.run(this.extraColumnIds[k], ts, extras[k]);
    if (this.held.length >= MERGE_BATCH) this.mergeHeld();
  }

  private mergeHeld(): void {
    if (this.held.length === 0) return;
    this.appender.flush();
    const rows = this.held.sort((a, b) => a.ts - b.ts || a.line - b.line);
    this.held = [];
    let lastTs = NaN;
    let lastLine = 0;
    mergeIntoSeries(this.db, this.datasetId, OWN_BARS, rows, (row, outcome) => {
      const earlier = row.ts === lastTs ? lastLine : row.earlier;
      if (outcome === 'new') {
        this.newRows++;
        lastTs = row.ts;
        lastLine = row.line;
        return;
      }
      this.duplicates++;
      if (outcome === 'replaced') {
        this.conflicts++;
        this.noteConflict({ ts: row.ts, lines: [earlier, row.line] });
        lastTs = row.ts;
        lastLine = row.line;
      } else if (row.ts !== lastTs) {
        lastTs = row.ts;
        lastLine = earlier;
      }
    });
  }

  /** Keeps the five conflicts met first in file order (the merge meets them in time order). */
  private noteConflict(s: DuplicateSample): void {
    const kept = s.lines[1]!;
    const sample = this.conflictSample;
    if (sample.length === 5 && kept > sample[4]!.lines[1]!) return;
    let at = sample.length;
    while (at > 0 && sample[at - 1]!.lines[1]! > kept) at--;
    sample.splice(at, 0, s);
    if (sample.length > 5) sample.pop();
  }

  private flushExtras(): void {
    this.extrasPending.forEach((vals, k) => {
      for (let i = 0; i < vals.length; i += 2) this.extraInsert[k]!.one.run(this.extraColumnIds[k], vals[i], vals[i + 1]);
      vals.length = 0;
    });
  }

  /** Stores every bar still held; call before reading the dataset back. */
  flush(): void {
    this.mergeHeld();
    this.appender.flush();
    this.flushExtras();
  }
}

/** Whether a recorded source has this many bytes: a file of another size cannot be one already imported. */
export function hasSourceOfSize(db: Db, bytes: number): boolean {
  return cachedStatement(db, 'SELECT 1 FROM dataset_sources WHERE bytes = ? LIMIT 1').get(bytes) !== undefined;
}

export function findSourceByHash(db: Db, contentHash: string): { datasetId: number; fileName: string; importedAt: number } | null {
  const row = cachedStatement(db, 'SELECT dataset_id AS datasetId, file_name AS fileName, imported_at AS importedAt FROM dataset_sources WHERE content_hash = ? LIMIT 1').get(contentHash);
  return (row as { datasetId: number; fileName: string; importedAt: number } | undefined) ?? null;
}

/** The dataset of this instrument and timeframe (where an import appends), created when there is none. */
export function findOrCreateDataset(db: Db, instrument: Instrument, timeframeMs: number, now: number): { id: number; created: boolean; lastTs: number | null } {
  const id = findInstrumentDataset(db, instrument, timeframeMs);
  if (id !== null) {
    const lastTs = cachedStatement(db, 'SELECT last_ts FROM datasets WHERE id = ?').pluck().get(id) as number | null;
    return { id, created: false, lastTs };
  }
  const info = db
    .prepare('INSERT INTO datasets (symbol, kind, venue, expiry, timeframe_ms, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(instrument.symbol, instrument.kind, instrument.venue, instrument.expiry, timeframeMs, now, now);
  return { id: Number(info.lastInsertRowid), created: true, lastTs: null };
}

export function datasetInstrument(db: Db, datasetId: number): Instrument & { timeframeMs: number } {
  return cachedStatement(db, 'SELECT symbol, kind, venue, expiry, timeframe_ms AS timeframeMs FROM datasets WHERE id = ?').get(datasetId) as Instrument & { timeframeMs: number };
}

/** Column ids for the dataset's extra numeric columns, created on first sight. */
export function ensureExtraColumns(db: Db, datasetId: number, names: string[]): number[] {
  const insert = cachedStatement(db, 'INSERT INTO dataset_columns (dataset_id, name) VALUES (?, ?) ON CONFLICT(dataset_id, name) DO NOTHING');
  const select = cachedStatement(db, 'SELECT id FROM dataset_columns WHERE dataset_id = ? AND name = ?').pluck();
  return names.map((n) => {
    insert.run(datasetId, n);
    return select.get(datasetId, n) as number;
  });
}

/**
 * Adds an import's new rows to the dataset's count and widens its range; cheaper than counting
 * a million-row dataset again, and exact because the writer counts every row it adds.
 */
export function addToDatasetStats(db: Db, datasetId: number, newRows: number, firstTs: number, lastTs: number, now: number): void {
  const info = db
    .prepare(
      `UPDATE datasets SET row_count = row_count + ?, first_ts = min(coalesce(first_ts, ?), ?), last_ts = max(coalesce(last_ts, ?), ?), updated_at = ? WHERE id = ?`,
    )
    .run(newRows, firstTs, firstTs, lastTs, lastTs, now, datasetId);
  if (info.changes !== 1) throw new Error(`dataset ${datasetId} vanished during its import`);
}

export interface SourceRecord {
  datasetId: number;
  contentHash: string;
  fileName: string;
  format: string;
  bytes: number;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  duplicates: number;
  importedAt: number;
  report: unknown;
}

export function recordSource(db: Db, s: SourceRecord): void {
  const info = db
    .prepare(
      `INSERT INTO dataset_sources (dataset_id, content_hash, file_name, format, bytes, rows_read, rows_imported, rows_rejected, duplicates, imported_at, report_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(s.datasetId, s.contentHash, s.fileName, s.format, s.bytes, s.rowsRead, s.rowsImported, s.rowsRejected, s.duplicates, s.importedAt, JSON.stringify(s.report));
  if (info.changes !== 1) throw new Error('recording the import source failed');
}
