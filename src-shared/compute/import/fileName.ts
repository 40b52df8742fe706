export interface FileNameFacts {
  symbol: string | null;
  timeframeMs: number | null;
  exchange: string | null;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 604_800_000;

const EXCHANGES = new Set([
  'binance', 'binanceus', 'binanceusdm', 'binancecoinm', 'bitfinex', 'coinbase', 'coinbasepro', 'gdax', 'kraken',
  'bitstamp', 'gemini', 'bybit', 'okx', 'okex', 'huobi', 'htx', 'kucoin', 'bittrex', 'poloniex', 'ftx', 'deribit',
  'bitmex', 'gateio', 'gate', 'mexc', 'bitget', 'cryptocom', 'upbit', 'bithumb', 'hitbtc', 'oanda', 'fxcm',
  'dukascopy', 'nasdaq', 'nyse', 'amex', 'cme', 'capitalcom', 'pepperstone', 'icmarkets',
]);

/** Words that name the kind of file rather than the instrument. */
const NOISE = new Set([
  'futures', 'future', 'spot', 'data', 'um', 'cm', 'usdm', 'coinm', 'klines', 'kline', 'ohlc', 'ohlcv', 'candles',
  'candle', 'candlestick', 'history', 'historical', 'hist', 'prices', 'price', 'export', 'bars', 'bar', 'chart',
  'quotes', 'stock', 'stocks', 'crypto', 'perp', 'perpetual', 'swap', 'full', 'all', 'to', 'from', 'utc', 'gmt',
]);

/** Quote currencies: a `_` or `-` between a base and one of these is a pair separator. */
const QUOTES = new Set([
  'USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'USDP', 'DAI', 'UST', 'USD', 'EUR', 'GBP', 'JPY', 'CHF', 'AUD', 'CAD',
  'NZD', 'TRY', 'BRL', 'KRW', 'RUB', 'UAH', 'BTC', 'XBT', 'ETH', 'BNB',
]);

/** MetaTrader 4 history names glue the period in minutes to the symbol (`EURUSD60`). */
const MT4_PERIODS = new Set([1, 5, 15, 30, 60, 240, 1440, 10080]);

const WORD_TIMEFRAMES = new Map<string, number | null>(Object.entries({
  minute: MINUTE, minutely: MINUTE, min: MINUTE,
  hour: HOUR, hourly: HOUR, h: HOUR,
  day: DAY, daily: DAY, d: DAY,
  week: WEEK, weekly: WEEK, w: WEEK,
  // months have no fixed length: recognised (so not taken for a symbol) but give no timeframe
  month: null, monthly: null, mo: null, mn: null, mn1: null,
}));

const UNIT_WORDS = new Map<string, number | null>(Object.entries({
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: MINUTE, min: MINUTE, mins: MINUTE, minute: MINUTE, minutes: MINUTE, t: MINUTE,
  h: HOUR, hr: HOUR, hrs: HOUR, hour: HOUR, hours: HOUR,
  d: DAY, day: DAY, days: DAY,
  w: WEEK, wk: WEEK, week: WEEK, weeks: WEEK,
  mo: null, mon: null, month: null, months: null,
}));

/**
 * Reads a timeframe token: `5m`, `1h`, `15min`, MetaTrader's `M15`/`H4`/`D1`/`W1`/`MN1`,
 * CryptoDataDownload's `d`/`minute`/`hourly`. Returns its length in ms, null for a monthly
 * token, undefined when the token is not a timeframe.
 */
function timeframeOfToken(token: string): number | null | undefined {
  const lower = token.toLowerCase();
  if (WORD_TIMEFRAMES.has(lower)) return WORD_TIMEFRAMES.get(lower);
  const mt = /^([mhdw])(\d{1,3})$/i.exec(token);
  if (mt) {
    const n = Number(mt[2]);
    const unit = mt[1]!.toLowerCase();
    if (n === 0) return undefined;
    return n * (unit === 'm' ? MINUTE : unit === 'h' ? HOUR : unit === 'd' ? DAY : WEEK);
  }
  const m = /^(\d{1,4})([a-z]+)$/i.exec(token);
  if (m) {
    const n = Number(m[1]);
    const unit = m[2]!;
    // Binance and TradingView write a month as `1M`; nobody exports 1-minute bars as `1M`
    if (unit === 'M') return n === 1 ? null : n * MINUTE;
    const key = unit.toLowerCase();
    if (!UNIT_WORDS.has(key) || n === 0) return undefined;
    const size = UNIT_WORDS.get(key);
    return size === null || size === undefined ? null : n * size;
  }
  return undefined;
}

/** The TradingView "Export chart data" name: `EXCHANGE_SYMBOL, 15` (minutes) or `, 1D` / `, 1W` / `, 30S`. */
const TRADINGVIEW = /^(?:([A-Za-z0-9]+)_)?([A-Za-z0-9.!_]+?),\s*(\d+)([SDWMH]?)$/;

/**
 * Guesses the symbol, bar timeframe and exchange a market-data file name carries.
 * `BTC_USDT_5m.csv` → BTC/USDT, 5m; `BINANCE_SOLUSDT, 15.csv` → SOLUSDT, 15m, BINANCE;
 * `EURUSD60.csv` → EURUSD, 1h; `EURUSD_H4_2019….csv` → EURUSD, 4h; `Binance_BTCUSDT_d.csv` →
 * BTCUSDT, 1d, BINANCE; `nvda-1999-2014.txt` → NVDA, no timeframe. Symbols are upper case; a
 * `_` or `-` between a base and a known quote currency becomes `/`.
 */
export function symbolAndTimeframeFromFileName(fileName: string): FileNameFacts {
  let base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  for (;;) {
    const stripped = base.replace(/\.(gz|zip|bz2|xz|csv|tsv|txt|json|dat|prn)$/i, '');
    if (stripped === base) break;
    base = stripped;
  }
  base = base.trim();

  const tv = TRADINGVIEW.exec(base);
  if (tv) {
    const n = Number(tv[3]);
    const unit = tv[4]!.toUpperCase();
    const size = unit === '' ? MINUTE : unit === 'S' ? 1000 : unit === 'H' ? HOUR : unit === 'D' ? DAY : unit === 'W' ? WEEK : null;
    return {
      symbol: tv[2]!.toUpperCase(),
      timeframeMs: size === null || n === 0 ? null : n * size,
      exchange: tv[1] ? tv[1].toUpperCase() : null,
    };
  }

  // tokens with the separator that preceded each: only `_`/`-` may join a base and a quote
  const parts = base.split(/([\s_\-,]+)/);
  const tokens: { text: string; sep: string }[] = [];
  for (let k = 0; k < parts.length; k += 2) {
    if (parts[k]) tokens.push({ text: parts[k]!, sep: k > 0 ? parts[k - 1]! : '' });
  }

  let symbol: string | null = null;
  let timeframeMs: number | null = null;
  let timeframeFound = false;
  let exchange: string | null = null;
  for (let k = 0; k < tokens.length; k++) {
    const text = tokens[k]!.text;
    const lower = text.toLowerCase();
    if (EXCHANGES.has(lower)) {
      exchange ??= text.toUpperCase();
      continue;
    }
    if (/^\d+$/.test(text) || NOISE.has(lower)) continue;
    const tf = timeframeOfToken(text);
    if (tf !== undefined) {
      if (!timeframeFound) {
        timeframeFound = true;
        timeframeMs = tf;
      }
      continue;
    }
    if (symbol !== null || !isSymbolLike(text)) continue;
    const glued = /^([A-Za-z]{6,})(\d{1,5})$/.exec(text);
    if (glued && MT4_PERIODS.has(Number(glued[2])) && !timeframeFound) {
      symbol = glued[1]!.toUpperCase();
      timeframeMs = Number(glued[2]) * MINUTE;
      timeframeFound = true;
      continue;
    }
    symbol = text.toUpperCase();
    const next = tokens[k + 1];
    if (next && /^[_-]$/.test(next.sep) && QUOTES.has(next.text.toUpperCase()) && /^[A-Za-z0-9]{2,10}$/.test(text)) {
      symbol = `${symbol}/${next.text.toUpperCase()}`;
      k++;
    }
  }
  return { symbol, timeframeMs, exchange };
}

function isSymbolLike(text: string): boolean {
  if (!/^[A-Za-z0-9.!]+$/.test(text)) return false;
  let letters = 0;
  for (const ch of text) if (/[A-Za-z]/.test(ch)) letters++;
  return letters >= 2;
}
