import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileImportResult, ImportOverrides, ImportProgress } from '../../src-shared/contract/datasets.js';
import { HealthMerger, healthReport, type HealthContext, type HealthSummary } from '../../src-shared/compute/health/index.js';
import { CandleBatch, createRowParser, DelimitedByteReader, FreqtradeJsonReader, JsonCandlesError, LineSplitter, LineTooLongError, medianSpacingMs, sniffFormat, type ParsePlan } from '../../src-shared/compute/import/index.js';
import { concatRolled, RollupAccumulator, rollupCandles, rollupTargets, type RolledCandles } from '../../src-shared/compute/rollup/index.js';
import { msToTimeframe } from '../../src-shared/domain/timeframe.js';
import type { DurationMs, EpochMs } from '../../src-shared/domain/units.js';
import type { Db } from '../db/connection.js';
import { clearRollups, insertRollups, loadCandleArrays, readCandlePage, replaceRollups, saveHealth } from '../db/queries/candles.js';
import { getDataset } from '../db/queries/datasets.js';
import { inWriteTransaction } from '../db/transaction.js';
import { CandleWriter, datasetInstrument, ensureExtraColumns, findOrCreateDataset, findSourceByHash, hasSourceOfSize, recordSource, addToDatasetStats } from '../db/queries/imports.js';
import { fileImportResult } from './importResult.js';
import { defaultParserScript, ParserThread, type HealthRequest } from './parseWorker.js';
import { decodeUtf8, hashFile, readLineChunks, readSampleLines, readTextChunks } from './readText.js';
import { pluralize } from '../../src-shared/compute/health/describeHealth.js';
import { formatCount } from '../../src-shared/domain/formatCount.js';

/** One file's share of the job's progress (the job adds the other files and the rates). */
export type FileImportProgress = Pick<ImportProgress, 'bytesRead' | 'bytesTotal' | 'rows'>;

export interface ImportFileOptions {
  overrides?: ImportOverrides;
  onProgress?: (p: FileImportProgress) => void;
  isCancelled?: () => boolean;
  now?: () => number;
  /**
   * The built parser thread (see parseWorker.ts); by default the one beside this bundle, and
   * none when running from source (tests), where parsing stays on the importer's thread.
   */
  parserScript?: string | null;
}

/** The whole file is refused: one sentence for a person, nothing written. */
export class FileRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRejected';
  }
}

export class ImportCancelled extends Error {
  constructor() {
    super('The import was cancelled; nothing from this file was kept.');
    this.name = 'ImportCancelled';
  }
}

const MAX_REJECTION_SAMPLES = 20;
const FLUSH_ROWS = 16_384;
const COLLECT_BELOW_BYTES = 100 * 1024 * 1024;
/** Files from this size on are parsed in a thread of their own (see parseWorker.ts). */
const PARSER_THREAD_FROM_BYTES = 16 * 1024 * 1024;


/**
 * Imports one file: sniff → stream-parse → validate → stage → one transaction that merges into
 * the dataset, rebuilds rollups and the health report, and records the source. Bad rows are
 * rejected with line and reason; a file that cannot be read as candles is refused whole with a
 * sentence and leaves the workspace unchanged, as does cancellation or a crash at any point.
 */
export async function importFile(db: Db, path: string, opts: ImportFileOptions = {}): Promise<FileImportResult> {
  const now = opts.now ?? Date.now;
  const fileName = basename(path);
  const base = fileImportResult(path);
  try {
    const info = await stat(path).catch(() => null);
    if (!info) throw new FileRejected(`The file ${fileName} does not exist or cannot be read.`);
    if (!info.isFile()) throw new FileRejected(`${fileName} is not a file.`);
    if (info.size === 0) throw new FileRejected('The file is empty.');

    // Only a file of a recorded size can be one already imported. Any other is hashed as it is
    // parsed (by the parser thread, which reads it whole anyway) or after, not in a pass of its own first.
    let contentHash = hasSourceOfSize(db, info.size) ? await hashFile(path) : null;
    const known = contentHash === null ? null : findSourceByHash(db, contentHash);
    const o = opts.overrides;
    if (known && !o?.symbol && !o?.timeframe && !o?.kind && o?.venue === undefined) {
      const ds = datasetInstrument(db, known.datasetId);
      return {
        ...base,
        ok: true,
        datasetId: known.datasetId,
        symbol: ds.symbol,
        kind: ds.kind,
        venue: ds.venue,
        timeframe: msToTimeframe(ds.timeframeMs),
        warnings: [`This file was already imported on ${new Date(known.importedAt).toISOString().slice(0, 10)} (as ${known.fileName}); nothing was added.`],
        alreadyImported: true,
      };
    }

    const sampleLines = await readSampleLines(path);
    const sniff = sniffFormat(sampleLines, fileName, opts.overrides ?? {});
    if (!sniff.ok) throw new FileRejected(sniff.error);
    const plan = sniff.plan;
    const warnings = [...sniff.warnings];
    const sampleSpacing = plan.format === 'json' ? null : spacingOfSample(plan, sampleLines);
    const timeframeMs = plan.timeframeMs ?? sampleSpacing;
    if (timeframeMs === null) {
      throw new FileRejected('The bar spacing cannot be told from the first rows; give the timeframe (e.g. --timeframe 1h).');
    }
    if (plan.timeframeSource === 'filename' && sampleSpacing !== null && sampleSpacing !== timeframeMs && sampleSpacing % timeframeMs !== 0) {
      warnings.push(`The file name says ${msToTimeframe(timeframeMs)} but the bars are ${msToTimeframe(sampleSpacing)} apart; the file name was used.`);
    }
    const symbol = plan.symbol ?? fileName.replace(/\.(csv|txt|tsv|json)(\.gz)?$/i, '').toUpperCase();
    if (!plan.symbol) warnings.push(`No symbol found in the file name or its columns; it was named ${symbol}.`);

    // One transaction for the whole file: a failure, a cancel or a killed process leaves nothing.
    // It stays open across file reads, so jobs run on a connection of their own (see createJobRunner).
    return await inWriteTransaction(db, async () => {
      const at = now();
      const ds = findOrCreateDataset(db, { symbol, kind: plan.kind, venue: plan.venue, expiry: plan.expiry }, timeframeMs, at);
      // Past ~100 MB a file holds more rows than the collector keeps: walk the dataset instead.
      // Below, the columns are sized from the sample's line length, so they rarely grow.
      const expectedRows = info.size < COLLECT_BELOW_BYTES ? Math.ceil((info.size / averageLineBytes(sampleLines)) * 1.05) : 0;
      // With a parser thread, a new dataset's roll-ups are built as its batches are written and its
      // health report by the thread from the rows it parsed: neither needs the columns held here.
      const threaded = usesParserThread(plan, info.size, opts);
      const healthFor = threaded && expectedRows > 0 && ds.lastTs === null ? { timeframeMs, nowMs: at, symbol: getDataset(db, ds.id)?.symbol, expectedRows } : undefined;
      const writer = new CandleWriter(db, ds.id, ds.lastTs, ensureExtraColumns(db, ds.id, plan.extras.map((e) => e.name)), healthFor ? 0 : expectedRows);
      const parsed = await parseIntoWriter(path, plan, writer, info.size, opts, healthFor, contentHash === null);
      try {
        writer.flush();
        if (writer.newRows + writer.duplicates === 0) {
          if (parsed.dataRows === 0) throw new FileRejected('The file has a header but no data rows.');
          throw new FileRejected(`None of the ${formatCount(parsed.dataRows)} rows is a valid candle; the first problem is on line ${parsed.rejections[0]?.line}: ${parsed.rejections[0]?.reason}.`);
        }
        if (opts.isCancelled?.()) throw new ImportCancelled();
        if (parsed.rejected > 0) warnings.push(`${formatCount(parsed.rejected)} rows were rejected (see rejectedSample).`);
        if (writer.duplicates > 0) {
          warnings.push(
            `${formatCount(writer.duplicates)} duplicate timestamps: identical repeats were dropped` +
              (writer.conflicts > 0 ? `; ${writer.conflicts} had different values and the last one read was kept.` : '.'),
          );
        }
        addToDatasetStats(db, ds.id, writer.newRows, writer.firstTs, writer.lastTs, at);
        let done: DerivedDone | undefined;
        if (parsed.rollups && parsed.thread) {
          // stored here while the parser thread computes the health report of the same rows
          for (const r of parsed.rollups) replaceRollups(db, ds.id, r.targetMs, r.bars);
          const health = await parsed.thread.health();
          if (health) done = { rollups: true, health };
        }
        // Its work done, the thread goes before the dataset is walked: its heap would add to the peak.
        await parsed.thread?.stop();
        const derived = refreshDerived(db, ds.id, timeframeMs, at, writer.collected() ?? undefined, DERIVED_PAGE_ROWS, done);
        const result: FileImportResult = {
          ...base,
          ok: true,
          datasetId: ds.id,
          symbol,
          kind: plan.kind,
          venue: plan.venue,
          timeframe: msToTimeframe(timeframeMs),
          format: plan.family,
          rowsRead: parsed.dataRows,
          rowsImported: writer.newRows,
          rowsRejected: parsed.rejected,
          duplicates: writer.duplicates,
          conflicts: writer.conflicts,
          firstTs: Number.isFinite(writer.firstTs) ? writer.firstTs : null,
          lastTs: Number.isFinite(writer.lastTs) ? writer.lastTs : null,
          warnings: [...warnings, ...derived.warnings],
          rejectedSample: parsed.rejections,
          conflictSample: writer.conflictSample,
          appended: !ds.created,
        };
        contentHash ??= parsed.thread?.contentHash ?? (await hashFile(path));
        recordSource(db, {
          datasetId: ds.id,
          contentHash,
          fileName,
          format: plan.family,
          bytes: info.size,
          rowsRead: result.rowsRead,
          rowsImported: result.rowsImported,
          rowsRejected: result.rowsRejected,
          duplicates: result.duplicates,
          importedAt: at,
          report: { warnings: result.warnings, rejectedSample: result.rejectedSample, conflictSample: result.conflictSample },
        });
        return result;
      } finally {
        await parsed.thread?.stop();
      }
    });
  } catch (e) {
    if (e instanceof FileRejected || e instanceof LineTooLongError || e instanceof JsonCandlesError || e instanceof ImportCancelled) {
      return { ...base, error: e.message, cancelled: e instanceof ImportCancelled };
    }
    throw e;
  }
}

/** Derived data the caller already has: the roll-ups stored, and the health report of the dataset's candles with the same options (see ParserThread). */
export interface DerivedDone {
  rollups: true;
  health: { summary: HealthSummary; flags: Uint8Array };
}

/** Replaces the dataset's roll-ups with those of `known`, its whole series in memory. */
export function writeRollups(db: Db, datasetId: number, timeframeMs: number, known: Columns): void {
  const tf = timeframeMs as DurationMs;
  for (const target of rollupTargets(tf)) replaceRollups(db, datasetId, target, rollupCandles(known, tf, target));
}

/** Rows per page when a dataset is walked from the database (about 3 MB of columns, and the health report's scratch a few times that). */
const DERIVED_PAGE_ROWS = 65_536;

type Columns = ReturnType<typeof loadCandleArrays>;

/**
 * Recomputes what is derived from a dataset's candles: its rollups and its health report. When
 * the importer still holds the whole dataset in memory it is used directly; otherwise the dataset
 * is walked page by page, so memory stays bounded however long it is (rollups stream through
 * accumulators; health reports of consecutive pages, overlapping by one candle, are merged).
 */
export function refreshDerived(db: Db, datasetId: number, timeframeMs: number, at: number, known?: Columns, pageRows = DERIVED_PAGE_ROWS, done?: DerivedDone): { warnings: string[] } {
  const tf = timeframeMs as DurationMs;
  const targets = rollupTargets(tf);
  // The symbol picks a calendar where the data alone cannot (a currency pair: the FX weekend).
  const healthOptions = { nowMs: at as EpochMs, symbol: getDataset(db, datasetId)?.symbol };
  let summary;
  let flags: Uint8Array;
  if (done?.rollups && done.health) {
    ({ summary, flags } = done.health);
  } else if (known) {
    writeRollups(db, datasetId, timeframeMs, known);
    ({ summary, flags } = healthReport(known, tf, healthOptions));
  } else {
    for (const target of targets) clearRollups(db, datasetId, target);
    const accumulators = targets.map((t) => new RollupAccumulator(tf, t));
    const merger = new HealthMerger();
    let carry: HealthContext | undefined;
    let previous: Columns | null = null;
    for (let after = -Infinity; ; ) {
      const page = readCandlePage(db, datasetId, after, pageRows);
      if (page.ts.length === 0) break;
      accumulators.forEach((acc, k) => insertRollups(db, datasetId, targets[k]!, acc.push(page)));
      const withOverlap = previous ? prependLast(previous, page) : page;
      const report = healthReport(withOverlap, tf, { ...healthOptions, carry });
      merger.add({ report, overlapsPrevious: previous !== null });
      carry = report.context;
      previous = page;
      after = page.ts[page.ts.length - 1]!;
      if (page.ts.length < pageRows) break;
    }
    accumulators.forEach((acc, k) => insertRollups(db, datasetId, targets[k]!, acc.flush()));
    ({ summary, flags } = merger.finish());
  }
  const s = summary;
  saveHealth(db, datasetId, JSON.stringify(s), flags, s.score, s.verdict, at);
  const warnings: string[] = [];
  if (s.gapCount > 0) warnings.push(`${pluralize(s.gapCount, 'gap')} (${pluralize(s.missingBars, 'missing bar')}${s.calendar !== 'continuous' ? '; weekends, holidays and other closures are not gaps' : ''}).`);
  if (s.zeroVolumeBars > 0) warnings.push(`${pluralize(s.zeroVolumeBars, 'bar')} with zero volume.`);
  if (s.spikes > 0) warnings.push(`${pluralize(s.spikes, 'price spike')} beyond ${s.spikeThreshold} robust σ.`);
  if (s.incompleteLast) warnings.push('The last bar looks incomplete (its period had not ended when exported).');
  if (s.incompleteFirst) warnings.push('The first bar looks incomplete.');
  return { warnings };
}

function prependLast(previous: Columns, page: Columns): Columns {
  const k = previous.ts.length - 1;
  const join = (a: Float64Array, b: Float64Array) => {
    const out = new Float64Array(b.length + 1);
    out[0] = a[k]!;
    out.set(b, 1);
    return out;
  };
  return { ts: join(previous.ts, page.ts), open: join(previous.open, page.open), high: join(previous.high, page.high), low: join(previous.low, page.low), close: join(previous.close, page.close), volume: join(previous.volume, page.volume) };
}

/** Bytes per line in the sample (UTF-8 of ASCII: one per character, plus the newline). */
function averageLineBytes(lines: string[]): number {
  const data = lines.filter((l) => l.length > 0);
  return data.length === 0 ? 64 : Math.max(8, data.reduce((n, l) => n + l.length + 1, 0) / data.length);
}

/** Median bar spacing of the sample's rows: the timeframe when neither name nor user gives one. */
function spacingOfSample(plan: ParsePlan, lines: string[]): number | null {
  const parse = createRowParser(plan);
  const batch = new CandleBatch(plan.extras.length, 256);
  lines.forEach((line, i) => i >= plan.dataStartLine && parse(line, i + 1, batch));
  const ts = batch.ts.slice(0, batch.length).sort();
  return medianSpacingMs(ts);
}

interface ParseOutcome {
  dataRows: number;
  rejected: number;
  rejections: { line: number; reason: string }[];
  thread: ParserThread | null;
  /** A new dataset's roll-ups, built while its batches were written (parser thread only). */
  rollups: { targetMs: number; bars: RolledCandles }[] | null;
}

const parserScriptOf = (opts: ImportFileOptions) => (opts.parserScript === undefined ? defaultParserScript() : opts.parserScript);

/** Whether the file is parsed in a thread: a plan the byte reader takes, a built thread, and a file worth its ~30 ms start (not each of 136 small ones). */
function usesParserThread(plan: ParsePlan, bytes: number, opts: ImportFileOptions): boolean {
  return DelimitedByteReader.supports(plan) && !!parserScriptOf(opts) && (bytes >= PARSER_THREAD_FROM_BYTES || !!opts.parserScript);
}

/**
 * Parses the file into the writer. With a parser thread, the outcome carries it: its health
 * report of the parsed rows (asked for with `healthFor`, when the file makes a new dataset) comes
 * later, and the caller stops it; with `hashContent` it also holds the file's content hash.
 */
async function parseIntoWriter(path: string, plan: ParsePlan, writer: CandleWriter, bytesTotal: number, opts: ImportFileOptions, healthFor: HealthRequest | undefined, hashContent: boolean): Promise<ParseOutcome> {
  const batch = new CandleBatch(plan.extras.length, FLUSH_ROWS + 1024);
  const out: ParseOutcome = { dataRows: 0, rejected: 0, rejections: [], thread: null, rollups: null };
  const extrasRow = new Array<number>(plan.extras.length);
  const flush = () => {
    if (plan.extras.length === 0) return writer.writeColumns(batch, batch.length);
    for (let i = 0; i < batch.length; i++) {
      for (let k = 0; k < extrasRow.length; k++) extrasRow[k] = batch.extras[k]![i]!;
      writer.write(batch.ts[i]!, batch.open[i]!, batch.high[i]!, batch.low[i]!, batch.close[i]!, batch.volume[i]!, batch.lineNo[i]!, extrasRow);
    }
  };
  const reject = (line: number, reason: string) => {
    out.rejected++;
    if (out.rejections.length < MAX_REJECTION_SAMPLES) out.rejections.push({ line, reason });
  };
  let rowsSeen = 0;
  let lastReport = 0;
  const report = (bytesRead: number, force = false) => {
    const t = Date.now();
    if (force || t - lastReport >= 100) {
      lastReport = t;
      opts.onProgress?.({ bytesRead, bytesTotal, rows: rowsSeen });
    }
  };

  if (plan.format === 'json') {
    const reader = new FreqtradeJsonReader();
    for await (const { text, bytesRead } of readTextChunks(path)) {
      if (opts.isCancelled?.()) throw new ImportCancelled();
      const before = batch.length;
      for (const r of reader.push(text, batch)) reject(r.lineNo, r.reason);
      rowsSeen += batch.length - before;
      if (batch.length >= FLUSH_ROWS) {
        flush();
        batch.clear();
      }
      report(bytesRead);
    }
    reader.end();
    flush();
    batch.clear();
    out.dataRows = rowsSeen + out.rejected;
    report(bytesTotal, true);
    return out;
  }

  if (usesParserThread(plan, bytesTotal, opts)) {
    const thread = new ParserThread(parserScriptOf(opts)!, path, plan, healthFor, hashContent);
    out.thread = thread;
    // A new dataset's roll-ups, built batch by batch while every batch is new and in order.
    const tf = healthFor?.timeframeMs as DurationMs | undefined;
    let rolling = tf ? rollupTargets(tf).map((t) => ({ targetMs: t as number, acc: new RollupAccumulator(tf, t), parts: [] as RolledCandles[] })) : null;
    try {
      for await (const b of thread.batches()) {
        if (opts.isCancelled?.()) throw new ImportCancelled();
        const inOrder = writer.writeColumns(b, b.rows);
        if (!inOrder) rolling = null;
        if (rolling && b.rows > 0) {
          const cols = { ts: b.ts.subarray(0, b.rows), open: b.open.subarray(0, b.rows), high: b.high.subarray(0, b.rows), low: b.low.subarray(0, b.rows), close: b.close.subarray(0, b.rows), volume: b.volume.subarray(0, b.rows) };
          for (const r of rolling) r.parts.push(r.acc.push(cols));
        }
        rowsSeen += b.rows;
        out.rejected += b.rejected;
        for (const [line, reason] of b.samples) if (out.rejections.length < MAX_REJECTION_SAMPLES) out.rejections.push({ line, reason });
        report(b.bytesRead);
      }
    } catch (e) {
      await thread.stop();
      throw e;
    }
    out.rollups = rolling?.map((r) => ({ targetMs: r.targetMs, bars: concatRolled([...r.parts, r.acc.flush()]) })) ?? null;
    out.dataRows = rowsSeen + out.rejected;
    report(bytesTotal, true);
    return out;
  }

  if (DelimitedByteReader.supports(plan)) {
    const reader = new DelimitedByteReader(plan, decodeUtf8);
    for await (const { bytes, bytesRead } of readLineChunks(path)) {
      if (opts.isCancelled?.()) throw new ImportCancelled();
      rowsSeen += reader.push(bytes, batch, reject);
      if (batch.length >= FLUSH_ROWS) {
        flush();
        batch.clear();
      }
      report(bytesRead);
    }
    rowsSeen += reader.end(batch, reject);
    flush();
    batch.clear();
    out.dataRows = rowsSeen + out.rejected;
    report(bytesTotal, true);
    return out;
  }

  const parseRow = createRowParser(plan);
  const splitter = new LineSplitter();
  let lineNo = 0;
  const handle = (lines: string[]) => {
    for (const line of lines) {
      lineNo++;
      if (lineNo <= plan.dataStartLine) continue;
      const status = parseRow(line, lineNo, batch);
      if (status === 'ok') rowsSeen++;
      else if (status !== 'skip') reject(lineNo, status);
    }
  };
  for await (const { text, bytesRead } of readTextChunks(path)) {
    if (opts.isCancelled?.()) throw new ImportCancelled();
    handle(splitter.push(lineNo === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
    if (batch.length >= FLUSH_ROWS) {
      flush();
      batch.clear();
    }
    report(bytesRead);
  }
  handle(splitter.end());
  flush();
  batch.clear();
  out.dataRows = rowsSeen + out.rejected;
  report(bytesTotal, true);
  return out;
}
