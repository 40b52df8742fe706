import { timeframeToMs } from '../../domain/timeframe.js';
import { CandleBatch } from './candleBatch.js';
import { type ColumnStats, columnStats } from './columnStats.js';
import { symbolAndTimeframeFromFileName } from './fileName.js';
import { FreqtradeJsonReader, JsonCandlesError } from './freqtradeJson.js';
import { resolveInstrument } from './instrument.js';
import { type ColumnMapping, bareHeaderName, mapHeaderColumns, mapPositionalColumns, normalizeHeaderName } from './mapColumns.js';
import { looksNumeric } from './parseDecimal.js';
import { parseDateTime } from './parseDateTime.js';
import type { ColumnRole, ImportOverrides, ParsePlan, TimeSpec } from './plan.js';
import { createRowParser } from './rowParser.js';
import { splitFields } from './splitFields.js';

export type { ColumnRole, ImportOverrides, ParsePlan, PlanColumns, TimeSpec } from './plan.js';
export { describePlan } from './describePlan.js';

export type SniffResult = { ok: true; plan: ParsePlan; warnings: string[] } | { ok: false; error: string; table?: SniffedTable };

/**
 * How far a refused delimited file was understood: its delimiter, header and first data line, and
 * the plan when one was made but reads no row. The import preview shows these so a person can
 * remap columns the detection could not place (what `--col-*` does on the command line).
 */
export interface SniffedTable {
  delimiter: string;
  header: string[] | null;
  dataStartLine: number;
  plan: ParsePlan | null;
}

/** Delimiters tried, in the order they win when several split the sample consistently. */
const DELIMITERS = ['\t', ';', '|', ','];
const MAX_SAMPLE_LINE = 1_000_000;

const fail = (error: string): SniffResult => ({ ok: false, error });

/**
 * Decides how to read a market-data file from its first lines (about 200) and its name.
 * Recognises Binance klines, CryptoDataDownload, Yahoo Finance, TradingView, MetaTrader 4/5,
 * freqtrade JSON and generic headered or headerless delimited files. Whole-file problems
 * (empty, binary, header only, no OHLC columns, a line too long, no readable rows) come back
 * as `{ ok: false, error }` with one sentence for a person.
 */
export function sniffFormat(sampleLines: string[], fileName: string, overrides: ImportOverrides = {}): SniffResult {
  const lines = sampleLines.slice();
  if (lines.length > 0 && lines[0]!.charCodeAt(0) === 0xfeff) lines[0] = lines[0]!.slice(1);
  const longIndex = lines.findIndex((l) => l.length > MAX_SAMPLE_LINE);
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  if (firstIndex < 0) return fail('The file is empty.');
  if (looksBinary(lines)) {
    return fail('The file is binary (it has NUL bytes or mostly unprintable characters), not a text table of candles; if it is compressed, use a .gz name.');
  }

  const facts = symbolAndTimeframeFromFileName(fileName);
  let timeframeMs = facts.timeframeMs;
  let timeframeSource: ParsePlan['timeframeSource'] = timeframeMs !== null ? 'filename' : null;
  if (overrides.timeframe !== undefined && overrides.timeframe.trim() !== '') {
    const ms = timeframeToMs(overrides.timeframe);
    if (ms === null) return fail(`The timeframe '${overrides.timeframe}' is not a timeframe like 5m, 1h or 1d.`);
    timeframeMs = ms;
    timeframeSource = 'override';
  }
  const symbolOverride = overrides.symbol?.trim() ? overrides.symbol.trim().toUpperCase() : null;

  const firstText = lines[firstIndex]!.trimStart();
  if (firstText.startsWith('[') || firstText.startsWith('{')) {
    const family = 'freqtrade JSON';
    const instrument = resolveInstrument({ symbol: symbolOverride ?? facts.symbol, fileName, exchange: facts.exchange, family, header: null, kind: overrides.kind, venue: overrides.venue });
    return sniffJson(lines.slice(firstIndex).join('\n'), {
      family,
      symbol: instrument.symbol,
      symbolSource: symbolOverride ? 'override' : facts.symbol ? 'filename' : null,
      timeframeMs,
      timeframeSource,
      kind: instrument.kind,
      expiry: instrument.expiry,
      kindReason: instrument.kindReason,
      venue: instrument.venue,
    });
  }
  if (longIndex >= 0) return fail(`Line ${longIndex + 1} is longer than 1,000,000 characters, so this is not a table of candles.`);

  // Excel's "sep=;" first line names the delimiter and is not part of the table
  const excelSep = /^sep=(.)\s*$/i.exec(lines[firstIndex]!);
  if (excelSep) lines[firstIndex] = '';
  let delimiter: string;
  if (overrides.delimiter !== undefined && overrides.delimiter !== '') {
    const d = normalizeDelimiter(overrides.delimiter);
    if (d === null) return fail(`The delimiter '${overrides.delimiter}' must be a single character such as , ; | or tab.`);
    delimiter = d;
  } else if (excelSep) {
    delimiter = excelSep[1]!;
  } else {
    const d = detectDelimiter(lines);
    if (d === null) return fail(`No open/high/low/close columns found: the first line is ${clip(lines[firstIndex]!)}.`);
    delimiter = d;
  }

  // split every non-blank sample line once
  const cells: (string[] | null)[] = lines.map((l) => (l.trim() === '' ? null : splitFields(l, delimiter)));
  const modal = modalFieldCount(cells);
  let tableStart = cells.findIndex((c) => c !== null && c.length >= Math.max(2, modal - 1));
  if (tableStart < 0) tableStart = firstIndex;
  const preamble = lines.slice(0, tableStart).filter((l) => l.trim() !== '');

  const startCells = cells[tableStart]!;
  const valueLike = startCells.filter((c) => looksNumeric(c.trim()) || !Number.isNaN(parseDateTime(c, 0, c.length, true))).length;
  const hasHeader = valueLike <= 1 || (valueLike < startCells.length / 2 && startCells.some((c) => /[A-Za-z]/.test(c)));
  const header = hasHeader ? startCells.map((c) => c.trim()) : null;
  const dataStartLine = hasHeader ? tableStart + 1 : tableStart;

  const dataRows: string[][] = [];
  const dataLineIndex: number[] = [];
  for (let i = dataStartLine; i < cells.length; i++) {
    const c = cells[i];
    if (c === null || c.length < 2) continue;
    if (header !== null && header[0] !== '' && c[0]!.trim() === header[0]) continue; // a repeated header
    dataRows.push(c);
    dataLineIndex.push(i);
  }
  if (dataRows.length === 0) {
    return fail(header !== null ? 'The file has a header but no data rows.' : `No open/high/low/close columns found: the first line is ${clip(lines[tableStart]!)}.`);
  }
  const columnCount = Math.max(header?.length ?? 0, modal);
  const stats = columnStats(dataRows, columnCount);

  const failWithTable = (error: string, plan: ParsePlan | null = null): SniffResult => ({ ok: false, error, table: { delimiter, header, dataStartLine, plan } });
  const fixed = resolveColumnOverrides(overrides.columns ?? {}, header, columnCount);
  if (typeof fixed === 'string') return failWithTable(fixed);

  // the symbol, needed early to tell base from quote volume (`Volume BTC` vs `Volume USDT`)
  const symbolHintFromColumn = (m: ColumnMapping): string | null => {
    const col = m.columns.symbol;
    return col !== null && stats[col]!.distinct.size === 1 ? normalizeSymbol(stats[col]!.first) : null;
  };
  let mapping = header !== null ? mapHeaderColumns(header, stats, fixed, symbolOverride ?? facts.symbol) : mapPositionalColumns(stats, fixed, lines[dataStartLine]!);
  if (typeof mapping === 'string') return failWithTable(mapping);
  if (header !== null && !symbolOverride && mapping.columns.symbol !== null) {
    const fromColumn = symbolHintFromColumn(mapping);
    if (fromColumn !== null && fromColumn !== facts.symbol) {
      const again = mapHeaderColumns(header, stats, fixed, fromColumn);
      if (typeof again !== 'string') mapping = again;
    }
  }
  const warnings = [...mapping.warnings];
  const { columns, extras } = mapping;

  // decimal convention, from the price and volume cells. `1,234` could be either; in a
  // comma-separated file (where such a cell must be quoted) it is read as thousands, elsewhere
  // (`;`, tab: European exports) as a decimal comma.
  let comma = 0;
  let dot = 0;
  for (const row of dataRows) {
    for (const col of [columns.open, columns.high, columns.low, columns.close, columns.volume]) {
      if (col === null) continue;
      const cell = (row[col] ?? '').trim();
      const lc = cell.lastIndexOf(',');
      const ld = cell.lastIndexOf('.');
      if (lc > ld) {
        const thousandsLike = ld < 0 && /^[-+]?[$€£]?\d{1,3}(,\d{3})+$/.test(cell);
        if (!(thousandsLike && delimiter === ',')) comma++;
      } else if (ld > lc) {
        dot++;
      }
    }
  }
  const decimalComma = comma > dot;

  // the time spec
  const timeStats = stats[columns.time]!;
  const date2Stats = columns.date2 !== undefined ? stats[columns.date2]! : null;
  const dayFirst = chooseDayFirst(timeStats, overrides.dayFirst, warnings);
  const zoneFromHeader = header !== null && [columns.time, columns.date2].some((c) => c !== undefined && /\b(utc|gmt)\b/i.test(header[c]!));
  const time: TimeSpec = {
    kind: timeStats.epoch > timeStats.date ? 'epoch' : 'text',
    dayFirst,
    hasZone: timeStats.zoned > 0 || zoneFromHeader,
    example: date2Stats ? `${timeStats.first} ${date2Stats.first}` : timeStats.first,
  };

  // symbol
  let symbol: string | null = null;
  let symbolSource: ParsePlan['symbolSource'] = null;
  if (symbolOverride) {
    symbol = symbolOverride;
    symbolSource = 'override';
  } else if (columns.symbol !== null && stats[columns.symbol]!.distinct.size === 1) {
    symbol = normalizeSymbol(stats[columns.symbol]!.first);
    symbolSource = 'column';
  } else if (facts.symbol !== null) {
    symbol = facts.symbol;
    symbolSource = 'filename';
  }
  if (columns.symbol !== null && stats[columns.symbol]!.distinct.size > 1) {
    const names = [...stats[columns.symbol]!.distinct].slice(0, 3).join(', ');
    warnings.push(`The symbol column holds several symbols (${names} …); all rows are imported as one series${symbol ? ` named ${symbol}` : ''}.`);
  }

  const family = detectFamily({ header, preamble, mapping, time, fileName, stats, hasDate2: columns.date2 !== undefined });
  const instrument = resolveInstrument({ symbol, fileName, exchange: facts.exchange, family, header, kind: overrides.kind, venue: overrides.venue });
  if (time.kind === 'text' && !time.hasZone) {
    const dateOnly = columns.date2 === undefined && timeStats.dateWithTime === 0;
    warnings.push(
      dateOnly
        ? 'Dates have no time zone; each day is taken to start at 00:00 UTC.'
        : family.startsWith('MetaTrader')
          ? 'Times have no time zone (MetaTrader writes the broker server time); they are treated as UTC.'
          : 'Times have no time zone; they are treated as UTC.',
    );
  }

  const plan: ParsePlan = {
    family,
    format: 'delimited',
    delimiter,
    decimalComma,
    header,
    dataStartLine,
    columns,
    extras,
    time,
    symbol: instrument.symbol,
    symbolSource,
    timeframeMs,
    timeframeSource,
    kind: instrument.kind,
    expiry: instrument.expiry,
    kindReason: instrument.kindReason,
    venue: instrument.venue,
  };

  // try the plan on the sample: a plan that reads no row is a whole-file failure
  const parse = createRowParser(plan);
  const batch = new CandleBatch(extras.length, dataLineIndex.length + 1);
  let rejected = 0;
  let firstRejection = '';
  for (const i of dataLineIndex) {
    const status = parse(lines[i]!, i + 1, batch);
    if (status !== 'ok' && status !== 'skip') {
      rejected++;
      if (firstRejection === '') firstRejection = `line ${i + 1}: ${status}`;
    }
  }
  if (batch.length === 0 && rejected > 0) {
    return failWithTable(
      rejected === 1
        ? `The first data row cannot be read (${firstRejection}).`
        : `None of the first ${rejected} data rows can be read (${firstRejection}).`,
      plan,
    );
  }
  if (rejected > 0) warnings.push(`${rejected} of the first ${dataLineIndex.length} data rows will be rejected (${firstRejection}).`);
  return { ok: true, plan, warnings };
}

function sniffJson(
  text: string,
  naming: Pick<ParsePlan, 'family' | 'symbol' | 'symbolSource' | 'timeframeMs' | 'timeframeSource' | 'kind' | 'expiry' | 'kindReason' | 'venue'>,
): SniffResult {
  const reader = new FreqtradeJsonReader();
  const batch = new CandleBatch(0, 256);
  let rejectedCount = 0;
  let firstRejection = '';
  try {
    // the sample may stop mid-record: the reader keeps the tail, which is fine here
    for (const r of reader.push(text, batch)) {
      rejectedCount++;
      if (firstRejection === '') firstRejection = `record ${r.lineNo}: ${r.reason}`;
    }
  } catch (e) {
    if (e instanceof JsonCandlesError) return fail(e.message);
    throw e;
  }
  if (reader.recordsSeen === 0 && /^\s*\[\s*\]\s*$/.test(text)) return fail('The JSON file holds no candles.');
  if (batch.length === 0 && rejectedCount > 0) return fail(`None of the first ${rejectedCount} JSON records can be read (${firstRejection}).`);
  const warnings = rejectedCount > 0 ? [`${rejectedCount} of the first ${reader.recordsSeen} records will be rejected (${firstRejection}).`] : [];
  return {
    ok: true,
    warnings,
    plan: {
      format: 'json',
      delimiter: ',',
      decimalComma: false,
      header: null,
      dataStartLine: 0,
      columns: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, symbol: null },
      extras: [],
      time: { kind: 'epoch', dayFirst: false, hasZone: true, example: batch.length > 0 ? new Date(batch.ts[0]!).toISOString() : '' },
      ...naming,
    },
  };
}

/** NUL bytes, or more than 5 % control / replacement characters, mean the bytes are not text. */
function looksBinary(lines: string[]): boolean {
  let bad = 0;
  let total = 0;
  for (const line of lines) {
    const n = Math.min(line.length, 100_000);
    for (let i = 0; i < n; i++) {
      const c = line.charCodeAt(i);
      if (c === 0) return true;
      if ((c < 32 && c !== 9 && c !== 13) || c === 0xfffd || (c >= 0x7f && c < 0xa0)) bad++;
    }
    total += n + 1;
    if (total > 200_000) break;
  }
  return bad > 0.05 * total;
}

function normalizeDelimiter(d: string): string | null {
  const t = d.toLowerCase();
  if (t === 'tab' || t === '\\t') return '\t';
  if (t === 'comma') return ',';
  if (t === 'semicolon') return ';';
  if (t === 'pipe') return '|';
  return d.length === 1 ? d : null;
}

/**
 * The delimiter that splits the sample's last lines (data, not preamble) into the same number of
 * cells, at least five (time + OHLC). Tab and `;` are tried before `,` because a file separated by
 * them may still hold commas as decimal separators.
 */
function detectDelimiter(lines: string[]): string | null {
  const nonBlank = lines.filter((l) => l.trim() !== '');
  const tail = nonBlank.length > 60 ? nonBlank.slice(-50) : nonBlank.slice(Math.min(2, nonBlank.length - 1));
  let best: { d: string; modal: number } | null = null;
  for (const minShare of [0.8, 0.5]) {
    for (const d of DELIMITERS) {
      const counts = tail.map((l) => splitFields(l, d).length);
      const modal = modeOf(counts);
      const share = counts.filter((c) => c === modal).length / counts.length;
      if (modal >= 5 && share >= minShare) return d;
      if (modal >= 2 && (best === null || modal > best.modal)) best = { d, modal };
    }
  }
  return best?.d ?? null;
}

function modeOf(values: number[]): number {
  const freq = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const v of values) {
    const f = (freq.get(v) ?? 0) + 1;
    freq.set(v, f);
    if (f > bestCount || (f === bestCount && v > best)) {
      best = v;
      bestCount = f;
    }
  }
  return best;
}

function modalFieldCount(cells: (string[] | null)[]): number {
  const counts = cells.filter((c): c is string[] => c !== null).map((c) => c.length);
  return modeOf(counts.length > 60 ? counts.slice(-50) : counts);
}

/** Resolves user column overrides (header name, or a 0-based index) to indices. */
function resolveColumnOverrides(
  spec: Partial<Record<ColumnRole, string>>,
  header: string[] | null,
  columnCount: number,
): Partial<Record<ColumnRole, number>> | string {
  const out: Partial<Record<ColumnRole, number>> = {};
  for (const [role, raw] of Object.entries(spec) as [ColumnRole, string | undefined][]) {
    if (raw === undefined || raw.trim() === '') continue;
    const want = raw.trim();
    let index = -1;
    if (header !== null) {
      index = header.findIndex((h) => h === want || bareHeaderName(h) === want);
      if (index < 0) index = header.findIndex((h) => bareHeaderName(h).toLowerCase() === want.toLowerCase());
      if (index < 0) index = header.findIndex((h) => normalizeHeaderName(h) === normalizeHeaderName(want));
    }
    if (index < 0 && /^\d+$/.test(want)) index = Number(want);
    if (index < 0 || index >= columnCount) {
      return header !== null && !/^\d+$/.test(want)
        ? `The column '${want}' chosen for ${role} is not in the header (${header.join(',')}).`
        : `The column '${want}' chosen for ${role} is not one of the file's ${columnCount} columns (0–${columnCount - 1}).`;
    }
    out[role] = index;
  }
  return out;
}

/**
 * Day-first or month-first for dates like 01.02.2019: a first field above 12 proves day-first,
 * a second above 12 proves month-first; otherwise the override, else the common convention for
 * the separator (`/` month-first as in US exports; `.` and `-` day-first), with a warning.
 */
function chooseDayFirst(st: ColumnStats, override: boolean | undefined, warnings: string[]): boolean {
  if (st.yearLast === 0) return override ?? false;
  if (st.maxFirst > 12 && st.maxSecond <= 12) return true;
  if (st.maxSecond > 12 && st.maxFirst <= 12) return false;
  if (override !== undefined) return override;
  const dayFirst = st.yearLastSeparator !== '/';
  warnings.push(
    `Dates like ${st.first} could be day-first or month-first; they are read as ${dayFirst ? 'day/month/year' : 'month/day/year'} (set the date order if that is wrong).`,
  );
  return dayFirst;
}

function detectFamily(x: {
  header: string[] | null;
  preamble: string[];
  mapping: ColumnMapping;
  time: TimeSpec;
  fileName: string;
  stats: ColumnStats[];
  hasDate2: boolean;
}): string {
  const norms = x.header?.map(normalizeHeaderName) ?? [];
  if (x.mapping.binanceLayout || (norms.includes('open time') && norms.includes('close time'))) return 'Binance klines';
  const cdd = x.preamble.some((l) => /cryptodatadownload/i.test(l)) || (norms.some((n) => n === 'unix' || n === 'unix timestamp') && norms.some((n) => /^volume [a-z]+$/.test(n)));
  if (cdd) return 'CryptoDataDownload';
  if (x.header?.some((h) => /^<\w+>$/.test(h.trim()))) return 'MetaTrader 5';
  if (norms.includes('adj close')) return 'Yahoo Finance';
  if (x.hasDate2 && /^\d{4}\.\d{2}\.\d{2}$/.test(x.stats[x.mapping.columns.time]!.first)) return 'MetaTrader 4';
  const tvName = /^(?:[A-Za-z0-9]+_)?[A-Za-z0-9.!_]+?,\s*\d+[SDWMH]?(\.csv)?$/i.test(x.fileName.slice(x.fileName.lastIndexOf('/') + 1));
  if (x.header?.[x.mapping.columns.time] === 'time' && ['open', 'high', 'low', 'close'].every((n) => x.header!.includes(n)) && (tvName || x.time.hasZone || x.time.kind === 'epoch')) {
    return 'TradingView';
  }
  return x.header === null ? 'Generic CSV (no header)' : 'Generic CSV';
}

function normalizeSymbol(s: string): string {
  return s.trim().toUpperCase();
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
