import { type ColumnStats, isDateOnlyColumn, isNumericColumn, isTimestampColumn, mostly } from './columnStats.js';
import type { ColumnRole, PlanColumns } from './plan.js';

export interface ColumnMapping {
  columns: PlanColumns;
  extras: { index: number; name: string }[];
  /** The headerless 12-column layout of data.binance.vision kline files. */
  binanceLayout: boolean;
  warnings: string[];
}

type PriceRole = 'open' | 'high' | 'low' | 'close';

/** Header synonyms after `normalizeHeaderName`, most specific first. */
const SYNONYMS: Record<PriceRole | 'volume' | 'symbol', string[]> = {
  open: ['open', 'o', 'open price', 'openprice', 'opening price', 'first', 'open bid', 'bid open', 'px open'],
  high: ['high', 'h', 'high price', 'highprice', 'max', 'highest', 'high bid', 'bid high', 'px high'],
  low: ['low', 'l', 'low price', 'lowprice', 'min', 'lowest', 'low bid', 'bid low', 'px low'],
  close: ['close', 'c', 'close last', 'close price', 'closeprice', 'closing price', 'last', 'last price', 'close bid', 'bid close', 'px last', 'price'],
  volume: [
    'volume', 'vol', 'v', 'tickvol', 'tick volume', 'tick vol', 'tickvolume', 'real volume', 'base volume',
    'volume base', 'basevolume', 'volumefrom', 'volume from', 'base asset volume', 'qty', 'quantity',
  ],
  symbol: ['symbol', 'ticker', 'pair', 'instrument', 'asset', 'market', 'sym', 'security', 'contract'],
};

/** Names of full-timestamp columns, in the order they are preferred (an epoch column beats a date string). */
const TIME_NAMES = [
  'open time', 'opentime', 'unix', 'unix timestamp', 'unixtimestamp', 'timestamp', 'time', 'datetime', 'date time',
  'date', 'gmt time', 'local time', 'utc', 'ts', 't', 'dt', 'open date', 'period start', 'time period start',
  'start', 'start time', 'begin', 'candle begin time', 'dtyyyymmdd', 'day', 'time utc', 'date utc', 'datetime utc',
  'timestamp utc',
];

const TIME_OF_DAY_NAMES = ['time', 'hour', 'time of day', 'tod', 'hhmmss', 'hhmm'];

/** `Volume MA` and friends are indicator plots, not a volume denominated in an asset. */
const NOT_AN_ASSET = new Set(['ma', 'sma', 'ema', 'wma', 'osc', 'oscillator', 'delta', 'avg', 'profile', 'change', 'ratio', 'weighted']);

const BINANCE_EXTRAS = [
  { index: 7, name: 'quote_volume' },
  { index: 8, name: 'trades' },
  { index: 9, name: 'taker_buy_base_volume' },
  { index: 10, name: 'taker_buy_quote_volume' },
];

/** `<TICKVOL>` → `tickvol`, `Open Time (UTC)` → `open time`, `open_time` → `open time`. */
export function normalizeHeaderName(name: string): string {
  return bareHeaderName(name)
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, ' ')
    .replace(/[\s_\-.:/]+/g, ' ')
    .trim();
}

/** The header name as written, minus MetaTrader's angle brackets and surrounding spaces. */
export function bareHeaderName(name: string): string {
  const t = name.trim();
  return t.length > 2 && t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1).trim() : t;
}

/** Keeps extra column names unique case-insensitively, also against the OHLCV names (`High` beside `high` → `High_2`). */
function uniqueNamer(): (name: string) => string {
  const taken = new Set(['time', 'date', 'open', 'high', 'low', 'close', 'volume', 'symbol']);
  return (name) => {
    let candidate = name;
    for (let k = 2; taken.has(candidate.toLowerCase()); k++) candidate = `${name}_${k}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  };
}

/**
 * Maps header names to roles. Each role prefers, in order: the exact lower-case canonical name
 * (`high`), the same name in another case (`High`), then synonyms; this is how a TradingView
 * export with an indicator called `High` beside the price column `high` maps right.
 * Returns the mapping or a one-sentence reason why the file cannot be read.
 */
export function mapHeaderColumns(
  header: string[],
  stats: ColumnStats[],
  fixed: Partial<Record<ColumnRole, number>>,
  symbolHint: string | null,
): ColumnMapping | string {
  const norms = header.map(normalizeHeaderName);
  const used = new Set<number>();
  const warnings: string[] = [];
  const headerText = header.join(',');

  const findByName = (canonical: string, synonyms: string[], accept: (i: number) => boolean): number => {
    for (let i = 0; i < header.length; i++) if (!used.has(i) && header[i]!.trim() === canonical && accept(i)) return i;
    for (let i = 0; i < header.length; i++) {
      if (!used.has(i) && bareHeaderName(header[i]!).toLowerCase() === canonical && accept(i)) return i;
    }
    for (const syn of synonyms) {
      for (let i = 0; i < header.length; i++) if (!used.has(i) && norms[i] === syn && accept(i)) return i;
    }
    return -1;
  };

  for (const i of Object.values(fixed)) used.add(i);

  // time: an explicit time+date override pair is date + time-of-day when the time column holds times of day
  let time = -1;
  let date2: number | undefined;
  if (fixed.time !== undefined && fixed.date !== undefined) {
    const t = stats[fixed.time]!;
    if (mostly(t.timeOfDay + t.compactTimeOfDay, t)) {
      time = fixed.date;
      date2 = fixed.time;
    } else {
      time = fixed.time;
    }
  } else {
    time = fixed.time ?? fixed.date ?? -1;
  }
  if (time < 0) {
    for (const name of TIME_NAMES) {
      time = norms.findIndex((n, i) => n === name && !used.has(i) && isTimestampColumn(stats[i]!));
      if (time >= 0) break;
    }
  }
  if (time < 0) {
    time = norms.findIndex(
      (n, i) => /time|date/.test(n) && !/close|end/.test(n) && !used.has(i) && isTimestampColumn(stats[i]!),
    );
  }
  if (time < 0) time = stats.findIndex((st, i) => !used.has(i) && isTimestampColumn(st));
  // a missing time is reported after the prices: "no OHLC" is the more useful sentence when both lack
  if (time >= 0) used.add(time);
  if (time >= 0 && date2 === undefined && isDateOnlyColumn(stats[time]!)) {
    const isTimeOfDay = (i: number): boolean => mostly(stats[i]!.timeOfDay + stats[i]!.compactTimeOfDay, stats[i]!);
    let k = TIME_OF_DAY_NAMES.map((name) => norms.findIndex((n, i) => n === name && !used.has(i) && isTimeOfDay(i))).find((i) => i >= 0) ?? -1;
    if (k < 0) k = stats.findIndex((st, i) => !used.has(i) && mostly(st.timeOfDay, st));
    if (k >= 0) {
      date2 = k;
      used.add(k);
    }
  }

  // an all-null sample column still maps by name; the sample check then says why no row reads
  const numeric = (i: number): boolean => isNumericColumn(stats[i]!);
  const prices: Record<PriceRole, number> = { open: -1, high: -1, low: -1, close: -1 };
  for (const role of ['open', 'high', 'low', 'close'] as const) {
    const fixedIndex = fixed[role];
    prices[role] = fixedIndex ?? findByName(role, SYNONYMS[role], numeric);
    if (prices[role] >= 0) used.add(prices[role]);
  }
  const missing = (['open', 'high', 'low', 'close'] as const).filter((r) => prices[r] < 0);
  // a lone price-like column (`price`) does not make a candle file: name the whole set
  if (missing.length >= 3) return `No open/high/low/close columns found: the header is ${headerText}.`;
  if (missing.length > 0) return `No ${missing.join('/')} column found: the header is ${headerText}.`;
  if (time < 0) return `No time or date column found: the header is ${headerText}.`;

  let volume = fixed.volume ?? findByName('volume', SYNONYMS.volume, numeric);
  if (volume < 0) volume = assetVolumeColumn(norms, used, numeric, symbolHint);
  if (volume >= 0 && fixed.volume === undefined && ['vol', 'volume', 'real volume'].includes(norms[volume]!)) {
    // MetaTrader 5 writes real volume as all zeros for forex; the tick volume is the useful one
    const st = stats[volume]!;
    if (st.n > 0 && st.zeros === st.n) {
      used.add(volume);
      const tick = findByName('tickvol', ['tickvol', 'tick volume', 'tick vol', 'tickvolume'], numeric);
      if (tick >= 0) {
        warnings.push(`${bareHeaderName(header[volume]!)} is all zero, so ${bareHeaderName(header[tick]!)} is used as the volume.`);
        used.delete(volume);
        volume = tick;
      }
    }
  }
  if (volume >= 0) used.add(volume);

  const textual = (i: number): boolean => mostly(stats[i]!.withLetters, stats[i]!);
  const symbol = fixed.symbol ?? findByName('symbol', SYNONYMS.symbol, textual);
  if (symbol >= 0) used.add(symbol);

  const nameOf = uniqueNamer();
  const extras: { index: number; name: string }[] = [];
  for (let i = 0; i < header.length; i++) {
    if (used.has(i)) continue;
    const name = bareHeaderName(header[i]!);
    const norm = norms[i]!;
    if (name === '' || /time|date/.test(norm) || /^(unix|unix timestamp|timestamp|ts|ignore|index|unnamed \d+|)$/.test(norm)) continue;
    if (!isNumericColumn(stats[i]!)) continue;
    extras.push({ index: i, name: nameOf(name) });
  }

  const columns: PlanColumns = {
    time,
    open: prices.open,
    high: prices.high,
    low: prices.low,
    close: prices.close,
    volume: volume >= 0 ? volume : null,
    symbol: symbol >= 0 ? symbol : null,
  };
  if (date2 !== undefined) columns.date2 = date2;
  return { columns, extras, binanceLayout: false, warnings };
}

/**
 * `Volume BTC` / `Volume USDT` (CryptoDataDownload): the volume in the symbol's base asset is
 * the volume; the other stays an extra. Without a symbol the first such column wins, which is
 * the base asset in CryptoDataDownload's layout.
 */
function assetVolumeColumn(norms: string[], used: Set<number>, numeric: (i: number) => boolean, symbolHint: string | null): number {
  const found: { index: number; asset: string }[] = [];
  norms.forEach((n, i) => {
    const m = /^(?:volume|vol) ([a-z0-9]{2,12})$/.exec(n);
    if (m && !NOT_AN_ASSET.has(m[1]!) && !used.has(i) && numeric(i)) found.push({ index: i, asset: m[1]!.toUpperCase() });
  });
  if (found.length === 0) return -1;
  if (symbolHint) {
    const sym = symbolHint.toUpperCase();
    const slash = sym.indexOf('/');
    const base = slash > 0 ? sym.slice(0, slash) : null;
    const byBase = base
      ? found.find((f) => f.asset === base)
      : found.filter((f) => sym.startsWith(f.asset)).sort((x, y) => y.asset.length - x.asset.length)[0];
    if (byBase) return byBase.index;
  }
  return found[0]!.index;
}

/**
 * Infers roles in a headerless file from values: the data.binance.vision 12-column kline layout,
 * or the time (plus a time-of-day column) followed by open, high, low, close and an optional
 * volume; further numeric columns become extras named `col<N>` (1-based).
 */
export function mapPositionalColumns(stats: ColumnStats[], fixed: Partial<Record<ColumnRole, number>>, firstLine: string): ColumnMapping | string {
  const count = stats.length;
  const hasFixed = Object.keys(fixed).length > 0;
  const epochOnly = (st: ColumnStats): boolean => st.n > 0 && st.epoch === st.n;
  if (!hasFixed && count === 12 && epochOnly(stats[0]!) && epochOnly(stats[6]!) && [1, 2, 3, 4, 5].every((i) => isNumericColumn(stats[i]!))) {
    return {
      columns: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, symbol: null },
      extras: BINANCE_EXTRAS,
      binanceLayout: true,
      warnings: [],
    };
  }

  const used = new Set<number>(Object.values(fixed));
  let time = fixed.time ?? fixed.date ?? stats.findIndex((st, i) => !used.has(i) && isTimestampColumn(st));
  if (time < 0) return `No time column found: the first data line is ${clip(firstLine)}.`;
  used.add(time);
  let date2: number | undefined;
  if (fixed.time !== undefined && fixed.date !== undefined) {
    time = fixed.date;
    date2 = fixed.time;
  } else if (isDateOnlyColumn(stats[time]!) && time + 1 < count && !used.has(time + 1)) {
    const next = stats[time + 1]!;
    if (mostly(next.timeOfDay + next.compactTimeOfDay, next)) date2 = time + 1;
  }
  if (date2 !== undefined) used.add(date2);

  const numericCols: number[] = [];
  let symbol = fixed.symbol ?? -1;
  for (let i = 0; i < count; i++) {
    if (used.has(i)) continue;
    const st = stats[i]!;
    if (i > (date2 ?? time) && isNumericColumn(st) && st.n > 0 && st.withLetters === 0) numericCols.push(i);
    else if (symbol < 0 && mostly(st.withLetters, st) && st.distinct.size === 1) symbol = i;
  }
  const order: ColumnRole[] = ['open', 'high', 'low', 'close', 'volume'];
  const roles: Partial<Record<ColumnRole, number>> = {};
  for (const role of order) {
    if (fixed[role] !== undefined) roles[role] = fixed[role];
    else {
      const next = numericCols.find((i) => !Object.values(roles).includes(i) && !Object.values(fixed).includes(i));
      if (next !== undefined) roles[role] = next;
    }
  }
  if (roles.open === undefined || roles.high === undefined || roles.low === undefined || roles.close === undefined) {
    return `No open/high/low/close columns found: the first data line is ${clip(firstLine)}.`;
  }
  const taken = new Set([...used, ...Object.values(roles)]);
  if (symbol >= 0) taken.add(symbol);
  const nameOf = uniqueNamer();
  const extras = numericCols.filter((i) => !taken.has(i)).map((i) => ({ index: i, name: nameOf(`col${i + 1}`) }));
  const columns: PlanColumns = {
    time,
    open: roles.open,
    high: roles.high,
    low: roles.low,
    close: roles.close,
    volume: roles.volume ?? null,
    symbol: symbol >= 0 ? symbol : null,
  };
  if (date2 !== undefined) columns.date2 = date2;
  return { columns, extras, binanceLayout: false, warnings: [] };
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
