/**
 * One name per instrument. Exports name the same market in many ways (`BTCUSDT`, `BTC/USDT`,
 * `BTC_USDT`, `BTC-USDT`), and some fold the contract into the name (`BTC-PERP`,
 * `BTCUSD_240628`, `BTC-27DEC24`, `BTCUSDT.P`, `BTC/USDT:USDT`). Here a name is split into
 *
 * - a canonical symbol: `BASE/QUOTE` in upper case where base and quote can be told apart
 *   (by a separator, or by a known quote currency at the end of a glued name), else the name as
 *   written (`NVDA`, `US30`, `BRK-B`). `XBT` is written `BTC`;
 * - the contract kind: spot, perpetual or future, a future with its expiry when the name states
 *   it (stored as UTC midnight of the day named; venues settle at different hours of that day);
 * - the venue, in lower case (`binance`), when a file name or the file's layout tells it.
 *
 * Where the kind comes from, in order (the first that speaks wins):
 * 1. the user's choice;
 * 2. the symbol itself (`-PERP`, `-SWAP`, `.P`, `:USDT` settle, an expiry suffix);
 * 3. the file name: `perp`, `perpetual`, `swap` → perpetual; `futures`, `future`, `fut`, `um`,
 *    `cm`, `usdm`, `coinm` (or the exchange ids `binanceusdm`, `binancecoinm`) → perpetual, or a
 *    future when an expiry is named, because crypto "futures" data without a date is the
 *    perpetual (CryptoDataDownload's `*_Binance_futures_*` files are USD-M perpetuals, freqtrade
 *    writes `-futures` for its perpetual pairs); `spot` → spot;
 * 4. the layout: data.binance.vision writes its USD-M/COIN-M futures klines with the header
 *    `open_time,…,count,taker_buy_volume,taker_buy_quote_volume,ignore` and its spot klines with
 *    no header at all, so a Binance klines file with exactly that header is futures (perpetual
 *    unless an expiry is named). A headerless Binance file is taken for spot unless its name says
 *    otherwise: futures files from before 2022 had no header either, and the user can correct it;
 * 5. otherwise spot (also for stocks and FX: the cash instrument).
 */

import type { ContractKind } from '../../domain/contractKind.js';

export { CONTRACT_KINDS, type ContractKind } from '../../domain/contractKind.js';

export interface Instrument {
  symbol: string;
  kind: ContractKind;
  /** Lower-case venue id (`binance`), null when unknown. */
  venue: string | null;
  /** UTC midnight (ms) of a future's expiry day; null for spot, perpetuals and undated futures. */
  expiry: number | null;
}

export interface SymbolFacts {
  symbol: string;
  /** The kind the name itself states; null when it states none. */
  kind: ContractKind | null;
  expiry: number | null;
}

/** Quote currencies, longest first so `FDUSD` wins over `USD` at the end of a glued name. */
const QUOTES = [
  'FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USDP', 'USDD', 'EURI', 'USD', 'EUR', 'GBP', 'JPY', 'CHF', 'AUD', 'CAD', 'NZD',
  'TRY', 'BRL', 'KRW', 'RUB', 'UAH', 'ZAR', 'MXN', 'PLN', 'SEK', 'NOK', 'SGD', 'HKD', 'CNH', 'BTC', 'XBT', 'ETH', 'BNB', 'DAI', 'UST',
];
const QUOTE_SET = new Set(QUOTES);

const ALIASES = new Map([['XBT', 'BTC']]);

const PERPETUAL_WORDS = new Set(['PERP', 'PERPETUAL', 'SWAP']);

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Exchange ids as file names and ccxt write them → the venue, and whether the id means its futures market. */
const VENUE_ALIASES = new Map<string, { venue: string; derivatives: boolean }>([
  ['binanceusdm', { venue: 'binance', derivatives: true }],
  ['binancecoinm', { venue: 'binance', derivatives: true }],
  ['coinbasepro', { venue: 'coinbase', derivatives: false }],
  ['gdax', { venue: 'coinbase', derivatives: false }],
  ['okex', { venue: 'okx', derivatives: false }],
  ['huobi', { venue: 'htx', derivatives: false }],
  ['gate', { venue: 'gateio', derivatives: false }],
]);

const VENUE_TEXT = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/**
 * A venue as stored: lower case, known aliases folded (`GDAX` → coinbase, `binanceusdm` →
 * binance). Null for an empty name or one that is not a plain id.
 */
export function canonicalVenue(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  const lower = name.trim().toLowerCase();
  if (!VENUE_TEXT.test(lower)) return null;
  return VENUE_ALIASES.get(lower)?.venue ?? lower;
}

/** Why a symbol typed by a person is refused; null when it is acceptable. */
export function symbolProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'A symbol cannot be empty.';
  if (t.length > 40) return 'A symbol is at most 40 characters.';
  if (!/^[A-Za-z0-9][A-Za-z0-9/._:=!^&-]*$/.test(t) || !/[A-Za-z]/.test(t)) {
    return `"${t}" is not a symbol: use letters, digits and / . _ - : = ! only, with no spaces (e.g. BTC/USDT, BTC-PERP or NVDA).`;
  }
  return null;
}

/** UTC midnight of YYMMDD (`240628`), DDMMMYY or DMMMYY (`27DEC24`, `3JAN25`); null when the token is no such date. */
export function expiryOfToken(token: string): number | null {
  const t = token.toUpperCase();
  let y: number;
  let m: number;
  let d: number;
  const numeric = /^(\d{2})(\d{2})(\d{2})$/.exec(t);
  const named = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(t);
  if (numeric) {
    [y, m, d] = [2000 + Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  } else if (named) {
    const month = MONTHS.indexOf(named[2]!);
    if (month < 0) return null;
    [y, m, d] = [2000 + Number(named[3]), month + 1, Number(named[1])];
  } else {
    return null;
  }
  if (y < 2010 || m < 1 || m > 12 || d < 1) return null;
  const ms = Date.UTC(y, m - 1, d);
  // Date.UTC rolls 31 Feb into March: a real date survives the round trip
  return new Date(ms).getUTCDate() === d ? ms : null;
}

/**
 * `BTCUSDT` → BTC/USDT, `EURUSD` → EUR/USD; null when no known quote ends the name. The longest
 * quote wins unless a shorter one leaves a base that is itself a currency: `XBTUSD` is XBT/USD,
 * not XB/TUSD.
 */
function splitGlued(text: string): [string, string] | null {
  if (!/^[A-Z0-9]+$/.test(text)) return null;
  const candidates: [string, string][] = [];
  for (const q of QUOTES) {
    if (!text.endsWith(q)) continue;
    const base = text.slice(0, -q.length);
    // a 3-letter quote after a 1-2 character base is more often a ticker (`OPEUR`) than a pair
    if (base.length < (q.length >= 4 ? 2 : 3) || !/[A-Z]/.test(base)) continue;
    candidates.push([base, q]);
  }
  return candidates.find(([base]) => QUOTE_SET.has(base)) ?? candidates[0] ?? null;
}

const alias = (s: string) => ALIASES.get(s) ?? s;
const pair = (base: string, quote: string) => `${alias(base)}/${alias(quote)}`;

/**
 * Reads a symbol as written in a file, a file name or by a person into its canonical symbol and
 * the contract kind and expiry the name itself states. Null for an empty name.
 * `BTCUSDT` → BTC/USDT; `eth_btc` → ETH/BTC; `BTC-PERP` → BTC, perpetual; `BTCUSD_240628` →
 * BTC/USD, future 2024-06-28; `BTC-27DEC24` → BTC, future 2024-12-27; `BTCUSDT.P`
 * (TradingView) → BTC/USDT, perpetual; `BTC/USDT:USDT` (ccxt) → BTC/USDT, perpetual;
 * `PF_XBTUSD` (Kraken) → BTC/USD, perpetual; `NVDA` → NVDA; `BRK-B` → BRK-B.
 */
export function parseSymbol(text: string): SymbolFacts | null {
  let s = text.trim().toUpperCase();
  if (s === '') return null;
  let kind: ContractKind | null = null;
  let expiry: number | null = null;

  const kraken = /^(PF|PI|FI|FF)_(.+)$/.exec(s);
  if (kraken) {
    kind = kraken[1]!.startsWith('P') ? 'perpetual' : 'future';
    s = kraken[2]!;
  }
  // ccxt: BASE/QUOTE:SETTLE for a derivative, with -YYMMDD for a dated one
  const ccxt = /^([^:]+):([A-Z0-9]+)(?:-(\d{6}))?$/.exec(s);
  if (ccxt) {
    s = ccxt[1]!;
    expiry = ccxt[3] ? expiryOfToken(ccxt[3]) : null;
    kind = expiry !== null ? 'future' : 'perpetual';
  }
  if (/^[A-Z0-9]+\.P$/.test(s)) {
    kind = 'perpetual';
    s = s.slice(0, -2);
  }
  // Yahoo: `ES=F` a continuous future, `EURUSD=X` a currency
  const yahoo = /^(.+)=([FX])$/.exec(s);
  if (yahoo) {
    s = yahoo[1]!;
    if (yahoo[2] === 'F') kind = 'future';
  }

  const parts = s.split(/([/_\- ]+)/);
  const words: string[] = [];
  const seps: string[] = [];
  for (let k = 0; k < parts.length; k += 2) {
    if (parts[k]) {
      words.push(parts[k]!);
      seps.push(k > 0 ? parts[k - 1]! : '');
    }
  }
  // contract markers trail the pair: BTC-PERP, BTC-USDT-SWAP, BTCUSD_240628, BTC-USD-240628
  while (words.length > 1) {
    const last = words[words.length - 1]!;
    const date = expiryOfToken(last);
    if (PERPETUAL_WORDS.has(last)) kind ??= 'perpetual';
    else if (date !== null) {
      kind = 'future';
      expiry = date;
    } else break;
    words.pop();
    seps.pop();
  }
  if (words.length === 0) return null;

  let symbol: string;
  if (words.length === 1) {
    const glued = splitGlued(words[0]!);
    symbol = glued ? pair(glued[0], glued[1]) : alias(words[0]!);
  } else if (words.length === 2 && (seps[1]!.includes('/') || QUOTE_SET.has(words[1]!))) {
    symbol = pair(words[0]!, words[1]!);
  } else if (words.length === 3 && QUOTE_SET.has(words[1]!) && words[2] === words[1]) {
    // freqtrade's file name for the pair BTC/USDT:USDT is BTC_USDT_USDT
    symbol = pair(words[0]!, words[1]!);
    kind ??= 'perpetual';
  } else {
    symbol = words.map((w, i) => `${i > 0 ? seps[i]!.trim() || '-' : ''}${w}`).join('');
  }
  return { symbol, kind, expiry };
}

/** The canonical form of a symbol (see `parseSymbol`); the text itself when it parses to nothing. */
export function canonicalSymbol(text: string): string {
  return parseSymbol(text)?.symbol ?? text.trim().toUpperCase();
}

const FUTURES_WORDS = new Set(['futures', 'future', 'fut', 'um', 'cm', 'usdm', 'coinm']);

export interface FileNameContract {
  /** `futures` is a derivative whose expiry, if any, is not in the name: perpetual unless dated. */
  kind: ContractKind | 'futures' | null;
  expiry: number | null;
  /** The words that said so, for a person: "the file name says futures". */
  said: string | null;
}

/**
 * What a file name says about the contract: its words (`perp`, `futures`, `spot`), an exchange id
 * that implies it (`binanceusdm`), and an expiry following the symbol (`BTCUSD_240628-1m…`,
 * `BTC-27DEC24_1h`). A six-digit number counts as an expiry only right after the first word,
 * so date ranges later in the name (`…_240101_240131`) are not taken for one.
 */
export function contractFromFileName(fileName: string): FileNameContract {
  let base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  for (;;) {
    const stripped = base.replace(/\.(gz|zip|bz2|xz|csv|tsv|txt|json|dat|prn|feather|parquet)$/i, '');
    if (stripped === base) break;
    base = stripped;
  }
  const tokens = base.split(/[\s_\-,]+/).filter(Boolean);
  let kind: FileNameContract['kind'] = null;
  let said: string | null = null;
  let expiry: number | null = null;
  tokens.forEach((token, i) => {
    const lower = token.toLowerCase();
    if (kind === null && PERPETUAL_WORDS.has(token.toUpperCase())) {
      kind = 'perpetual';
      said = token;
    } else if (kind === null && (FUTURES_WORDS.has(lower) || VENUE_ALIASES.get(lower)?.derivatives)) {
      kind = 'futures';
      said = token;
    } else if (kind === null && lower === 'spot') {
      kind = 'spot';
      said = token;
    }
    const dated = /^\d{1,2}[A-Za-z]{3}\d{2}$/.test(token) || (i === 1 && /^\d{6}$/.test(token) && !/^\d{6}$/.test(tokens[2] ?? ''));
    if (expiry === null && dated) expiry = expiryOfToken(token);
  });
  return { kind, expiry, said };
}

/** data.binance.vision's futures klines header, normalised (lower case, single spaces). */
const BINANCE_FUTURES_HEADER = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';

export interface InstrumentInput {
  /** The symbol as the plan found it (override, column or file name), before canonicalisation. */
  symbol: string | null;
  fileName: string;
  /** An exchange named in the file name, as written. */
  exchange: string | null;
  /** The recognised export family (`Binance klines`, `CryptoDataDownload` …). */
  family: string;
  header: string[] | null;
  kind?: ContractKind;
  venue?: string;
}

export interface ResolvedInstrument extends Omit<Instrument, 'symbol'> {
  symbol: string | null;
  /** Where the kind came from, for a person: "the file name says futures". */
  kindReason: string;
}

/** The instrument a file holds, from its symbol, name and layout, by the rules at the top of this file. */
export function resolveInstrument(x: InstrumentInput): ResolvedInstrument {
  const parsed = x.symbol === null ? null : parseSymbol(x.symbol);
  const fromName = contractFromFileName(x.fileName);
  const expiry = parsed?.expiry ?? fromName.expiry;
  let kind: ContractKind;
  let kindReason: string;
  if (x.kind) {
    kind = x.kind;
    kindReason = 'your choice';
  } else if (parsed?.kind) {
    kind = parsed.kind;
    kindReason = `the symbol ${x.symbol!.trim()}`;
  } else if (fromName.kind !== null) {
    kind = fromName.kind === 'futures' ? (expiry !== null ? 'future' : 'perpetual') : fromName.kind;
    kindReason = `the file name says ${fromName.said}`;
  } else if (expiry !== null) {
    kind = 'future';
    kindReason = 'the expiry in the file name';
  } else if (x.family === 'Binance klines' && x.header !== null && x.header.map((h) => h.trim().toLowerCase()).join(',') === BINANCE_FUTURES_HEADER) {
    kind = 'perpetual';
    kindReason = 'the Binance futures header';
  } else {
    kind = 'spot';
    kindReason = 'nothing says otherwise';
  }
  const venue = x.venue !== undefined ? canonicalVenue(x.venue) : (canonicalVenue(x.exchange) ?? (x.family === 'Binance klines' ? 'binance' : null));
  return { symbol: parsed?.symbol ?? null, kind, venue, expiry: kind === 'future' ? expiry : null, kindReason };
}

/** `BTC/USDT perpetual · binance`, `BTC/USD future 2024-06-28`, `NVDA`: how an instrument reads in a sentence. */
export function describeInstrument(i: { symbol: string; kind: ContractKind; venue: string | null; expiry: number | null }): string {
  const kind = i.kind === 'spot' ? '' : i.kind === 'future' && i.expiry !== null ? ` future ${new Date(i.expiry).toISOString().slice(0, 10)}` : ` ${i.kind}`;
  return `${i.symbol}${kind}${i.venue ? ` on ${i.venue}` : ''}`;
}

export interface InstrumentChange {
  /** Any spelling: BTCUSDT, btc_usdt, BTC-PERP, BTCUSD_240628. */
  symbol: string;
  /** Omitted: what the symbol states, else the current kind. */
  kind?: ContractKind;
  /** Omitted: unchanged; null or empty: none. */
  venue?: string | null;
  /** Omitted: what the symbol states, else the current expiry while the instrument stays a future. */
  expiry?: number | null;
}

/**
 * The instrument a dataset becomes when a person renames it, or the sentence saying why the
 * change is refused. The symbol is stored canonical, so `btcusdt` and `BTC/USDT` are one name.
 */
export function renamedInstrument(current: Instrument, change: InstrumentChange): { ok: true; instrument: Instrument } | { ok: false; error: string } {
  const problem = symbolProblem(change.symbol);
  if (problem) return { ok: false, error: problem };
  const parsed = parseSymbol(change.symbol)!;
  const kind = change.kind ?? parsed.kind ?? current.kind;
  let venue = current.venue;
  if (change.venue !== undefined) {
    venue = change.venue === null || change.venue.trim() === '' ? null : canonicalVenue(change.venue);
    if (venue === null && change.venue !== null && change.venue.trim() !== '') return { ok: false, error: `"${change.venue}" is not a venue: use one word such as binance, bybit or nasdaq.` };
  }
  if (kind !== 'future' && change.expiry !== undefined && change.expiry !== null) return { ok: false, error: `Only a future has an expiry; this would be ${kind}.` };
  const expiry = kind !== 'future' ? null : change.expiry !== undefined ? change.expiry : (parsed.expiry ?? (current.kind === 'future' ? current.expiry : null));
  return { ok: true, instrument: { symbol: parsed.symbol, kind, venue, expiry } };
}

/**
 * A file name stem that imports back as the same instrument: `binance_BTC_USDT_PERP`,
 * `BTC_USD_28JUN24`, `ETH_USDT`. The expiry is written DDMMMYY because that form is read
 * wherever it stands in a name.
 */
export function instrumentFileStem(i: Pick<Instrument, 'symbol' | 'kind' | 'venue' | 'expiry'>): string {
  const parts = [i.venue ?? '', i.symbol];
  if (i.kind === 'perpetual') parts.push('PERP');
  if (i.kind === 'future') {
    if (i.expiry === null) parts.push('FUTURES');
    else {
      const d = new Date(i.expiry);
      parts.push(`${String(d.getUTCDate()).padStart(2, '0')}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear() % 100).padStart(2, '0')}`);
    }
  }
  return parts
    .filter((p) => p !== '')
    .join('_')
    .replace(/[^A-Za-z0-9.-]+/g, '_');
}
