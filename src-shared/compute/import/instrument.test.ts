import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { marketCorpus } from '../../../test-support/fixtures.js';
import { requirePrerequisite } from '../../../test-support/vitest.js';
import { symbolAndTimeframeFromFileName } from './fileName.js';
import { canonicalVenue, contractFromFileName, describeInstrument, expiryOfToken, instrumentFileStem, parseSymbol, renamedInstrument, resolveInstrument, symbolProblem, type ContractKind } from './instrument.js';
import { sniffFormat } from './sniff.js';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('parseSymbol', () => {
  const cases: [string, string, ContractKind | null, string | null][] = [
    // spellings of one spot pair
    ['BTCUSDT', 'BTC/USDT', null, null],
    ['BTC/USDT', 'BTC/USDT', null, null],
    ['btc_usdt', 'BTC/USDT', null, null],
    ['BTC-USDT', 'BTC/USDT', null, null],
    ['XBTUSD', 'BTC/USD', null, null],
    ['ETH_BTC', 'ETH/BTC', null, null],
    ['ETHBTC', 'ETH/BTC', null, null],
    ['BTCFDUSD', 'BTC/FDUSD', null, null],
    ['1000SHIBUSDT', '1000SHIB/USDT', null, null],
    // FX and metals
    ['EURUSD', 'EUR/USD', null, null],
    ['USDJPY', 'USD/JPY', null, null],
    ['XAUUSD', 'XAU/USD', null, null],
    ['EURUSD=X', 'EUR/USD', null, null],
    // stocks and indices stay as written
    ['NVDA', 'NVDA', null, null],
    ['nvda', 'NVDA', null, null],
    ['BRK-B', 'BRK-B', null, null],
    ['BRK.B', 'BRK.B', null, null],
    ['US30', 'US30', null, null],
    ['^GSPC', '^GSPC', null, null],
    ['SPY', 'SPY', null, null],
    // a short ticker ending in a currency code is not split
    ['OPEUR', 'OPEUR', null, null],
    // perpetuals
    ['BTC-PERP', 'BTC', 'perpetual', null],
    ['BTC-PERPETUAL', 'BTC', 'perpetual', null],
    ['BTCUSD_PERP', 'BTC/USD', 'perpetual', null],
    ['BTC-USDT-SWAP', 'BTC/USDT', 'perpetual', null],
    ['BTCUSDT.P', 'BTC/USDT', 'perpetual', null],
    ['BTC/USDT:USDT', 'BTC/USDT', 'perpetual', null],
    ['BTC_USDT_USDT', 'BTC/USDT', 'perpetual', null],
    ['PF_XBTUSD', 'BTC/USD', 'perpetual', null],
    // dated futures
    ['BTCUSD_240628', 'BTC/USD', 'future', '2024-06-28'],
    ['BTCUSDT_250328', 'BTC/USDT', 'future', '2025-03-28'],
    ['BTC-27DEC24', 'BTC', 'future', '2024-12-27'],
    ['ETH-3JAN25', 'ETH', 'future', '2025-01-03'],
    ['BTC-USD-240628', 'BTC/USD', 'future', '2024-06-28'],
    ['BTC/USDT:USDT-240628', 'BTC/USDT', 'future', '2024-06-28'],
    ['FI_XBTUSD_240628', 'BTC/USD', 'future', '2024-06-28'],
    ['ES=F', 'ES', 'future', null],
  ];
  for (const [text, symbol, kind, expiry] of cases) {
    it(`reads ${text}`, () => {
      expect(parseSymbol(text)).toEqual({ symbol, kind, expiry: expiry === null ? null : day(expiry) });
    });
  }

  it('is idempotent on its own output', () => {
    for (const [text] of cases) {
      const once = parseSymbol(text)!;
      expect(parseSymbol(once.symbol)!.symbol, text).toBe(once.symbol);
    }
  });

  it('gives nothing for an empty name', () => {
    expect(parseSymbol('  ')).toBeNull();
  });
});

describe('expiryOfToken', () => {
  it('reads YYMMDD and DDMMMYY days and refuses impossible dates', () => {
    expect(expiryOfToken('240628')).toBe(day('2024-06-28'));
    expect(expiryOfToken('29FEB24')).toBe(day('2024-02-29'));
    expect(expiryOfToken('29FEB23')).toBeNull();
    expect(expiryOfToken('241331')).toBeNull();
    expect(expiryOfToken('27XYZ24')).toBeNull();
    expect(expiryOfToken('2024')).toBeNull();
  });
});

describe('contractFromFileName', () => {
  const cases: [string, ContractKind | 'futures' | null, string | null][] = [
    ['btc-perp-2024_1m.csv', 'perpetual', null],
    ['BTCUSDT_Binance_futures_data_day.csv', 'futures', null],
    ['BTC_USDT_USDT-1h-futures.json', 'futures', null],
    ['BTCUSDT-1m-2023-02-um.csv', 'futures', null],
    ['binanceusdm_BTCUSDT_1h.csv', 'futures', null],
    ['BTCUSDT-spot-1h.csv', 'spot', null],
    ['BTCUSD_240628-1m-2024-05.csv', null, '2024-06-28'],
    ['BTC-27DEC24_1h.csv', null, '2024-12-27'],
    ['BTCUSDT_240101_240131.csv', null, null],
    ['BTCUSDT-1h-2024-12.csv', null, null],
    ['nvda-1999-2014.txt', null, null],
  ];
  for (const [name, kind, expiry] of cases) {
    it(`reads ${name}`, () => {
      const c = contractFromFileName(name);
      expect({ kind: c.kind, expiry: c.expiry }).toEqual({ kind, expiry: expiry === null ? null : day(expiry) });
    });
  }
});

describe('resolveInstrument', () => {
  const base = { fileName: 'x.csv', exchange: null, family: 'Generic CSV', header: null };

  it('lets the symbol, then the file name, then the layout decide the kind', () => {
    expect(resolveInstrument({ ...base, symbol: 'BTC', fileName: 'btc-perp-2024_1m.csv' })).toMatchObject({ symbol: 'BTC', kind: 'perpetual', kindReason: 'the file name says perp' });
    expect(resolveInstrument({ ...base, symbol: 'BTCUSD', fileName: 'BTCUSD_240628-1m-2024-05.csv', family: 'Binance klines' })).toMatchObject({ symbol: 'BTC/USD', kind: 'future', expiry: day('2024-06-28'), venue: 'binance' });
    expect(resolveInstrument({ ...base, symbol: 'BTC', fileName: 'BTC-27DEC24_1h.csv' })).toMatchObject({ symbol: 'BTC', kind: 'future', expiry: day('2024-12-27') });
    expect(resolveInstrument({ ...base, symbol: 'BTC-PERP', fileName: 'spot-export.csv' })).toMatchObject({ kind: 'perpetual', kindReason: 'the symbol BTC-PERP' });
    expect(resolveInstrument({ ...base, symbol: 'BTC/USDT', fileName: 'BTC_USDT_USDT-1h-futures.json', family: 'freqtrade JSON' })).toMatchObject({ symbol: 'BTC/USDT', kind: 'perpetual', venue: null });
    expect(resolveInstrument({ ...base, symbol: 'ETH/BTC', fileName: 'ETH_BTC-5m.json', family: 'freqtrade JSON' })).toMatchObject({ kind: 'spot', venue: null });
  });

  it('takes a Binance klines file with the futures header for a perpetual, a headerless one for spot', () => {
    const header = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore'.split(',');
    expect(resolveInstrument({ ...base, symbol: 'LINKUSDT', fileName: 'LINKUSDT-1m-2023-02.csv', family: 'Binance klines', header })).toMatchObject({ symbol: 'LINK/USDT', kind: 'perpetual', venue: 'binance' });
    expect(resolveInstrument({ ...base, symbol: 'LINKUSDT', fileName: 'LINKUSDT-1m-2023-02.csv', family: 'Binance klines' })).toMatchObject({ kind: 'spot', venue: 'binance' });
    // a python export with its own header names is not data.binance.vision's futures file
    expect(resolveInstrument({ ...base, symbol: 'LINKUSDT', family: 'Binance klines', header: ['open_time', 'open', 'high', 'low', 'close', 'volume', 'close_time'] })).toMatchObject({ kind: 'spot' });
  });

  it('lets the user override kind and venue, and clear the venue', () => {
    expect(resolveInstrument({ ...base, symbol: 'BTCUSDT', fileName: 'Binance_BTCUSDT_futures_1h.csv', exchange: 'Binance', kind: 'spot', venue: 'Bybit' })).toMatchObject({ symbol: 'BTC/USDT', kind: 'spot', venue: 'bybit', kindReason: 'your choice' });
    expect(resolveInstrument({ ...base, symbol: 'BTCUSDT', exchange: 'Binance', venue: '' })).toMatchObject({ venue: null });
  });

  it('keeps an expiry only on a future', () => {
    expect(resolveInstrument({ ...base, symbol: 'BTCUSD_240628', kind: 'perpetual' })).toMatchObject({ kind: 'perpetual', expiry: null });
  });
});

describe('venues and symbols typed by a person', () => {
  it('folds venue aliases to one lower-case id', () => {
    expect(canonicalVenue('BINANCE')).toBe('binance');
    expect(canonicalVenue('binanceusdm')).toBe('binance');
    expect(canonicalVenue('GDAX')).toBe('coinbase');
    expect(canonicalVenue('  ')).toBeNull();
    expect(canonicalVenue('two words')).toBeNull();
  });

  it('explains what is wrong with a symbol', () => {
    expect(symbolProblem('BTC/USDT')).toBeNull();
    expect(symbolProblem('BTC-27DEC24')).toBeNull();
    expect(symbolProblem('')).toMatch(/empty/);
    expect(symbolProblem('BTC USDT')).toMatch(/no spaces/);
    expect(symbolProblem('12345')).toMatch(/not a symbol/);
    expect(symbolProblem('A'.repeat(41))).toMatch(/40/);
  });

  it('describes an instrument in a few words', () => {
    expect(describeInstrument({ symbol: 'BTC/USDT', kind: 'perpetual', venue: 'binance', expiry: null })).toBe('BTC/USDT perpetual on binance');
    expect(describeInstrument({ symbol: 'BTC/USD', kind: 'future', venue: null, expiry: day('2024-06-28') })).toBe('BTC/USD future 2024-06-28');
    expect(describeInstrument({ symbol: 'NVDA', kind: 'spot', venue: null, expiry: null })).toBe('NVDA');
  });
});

/**
 * Every real export in ../shared/fixtures/market (read from outside the repository: their
 * licences vary) and the instrument its README implies.
 */
const corpus = marketCorpus();
const CORPUS = corpus.dir;
const CORPUS_INSTRUMENTS: Record<string, { symbol: string; kind: ContractKind; venue: string | null }> = {
  'binance-spot/BTCUSDT-1h-2024-12.csv': { symbol: 'BTC/USDT', kind: 'spot', venue: 'binance' },
  'binance-futures/LINKUSDT-1m-2023-02.csv': { symbol: 'LINK/USDT', kind: 'perpetual', venue: 'binance' },
  'cryptodatadownload/BTCUSDT_Binance_futures_data_day.csv': { symbol: 'BTC/USDT', kind: 'perpetual', venue: 'binance' },
  'cryptodatadownload-legacy/Binance_BTCUSDT_d.csv': { symbol: 'BTC/USDT', kind: 'spot', venue: 'binance' },
  'freqtrade/ETH_BTC-5m.json': { symbol: 'ETH/BTC', kind: 'spot', venue: null },
  'yahoo/nvda-1999-2014.txt': { symbol: 'NVDA', kind: 'spot', venue: null },
  'tradingview/BINANCE_SOLUSDT, 15.csv': { symbol: 'SOL/USDT', kind: 'spot', venue: 'binance' },
  'metatrader4/EURUSD60.csv': { symbol: 'EUR/USD', kind: 'spot', venue: null },
};

describe('the instruments of the real exports', () => {
  if (!requirePrerequisite(corpus)) return;

  it('knows every file in the corpus', () => {
    const files = readdirSync(CORPUS, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name !== 'README.md');
    expect(files.map((e) => join(e.parentPath, e.name).slice(CORPUS.length + 1).replaceAll('\\', '/')).sort()).toEqual(Object.keys(CORPUS_INSTRUMENTS).sort());
  });

  for (const [file, expected] of Object.entries(CORPUS_INSTRUMENTS)) {
    it(`names ${file} ${describeInstrument({ ...expected, expiry: null })}`, () => {
      const lines = readFileSync(join(CORPUS, file), 'utf8').slice(0, 64_000).split(/\r?\n/).slice(0, 200);
      const r = sniffFormat(lines, file.split('/')[1]!);
      if (!r.ok) throw new Error(r.error);
      expect({ symbol: r.plan.symbol, kind: r.plan.kind, venue: r.plan.venue, expiry: r.plan.expiry }).toEqual({ ...expected, expiry: null });
    });
  }

  it('gives the Binance spot file and the CryptoDataDownload files one symbol, kept apart by kind', () => {
    const spot = CORPUS_INSTRUMENTS['binance-spot/BTCUSDT-1h-2024-12.csv']!;
    const perp = CORPUS_INSTRUMENTS['cryptodatadownload/BTCUSDT_Binance_futures_data_day.csv']!;
    expect(spot.symbol).toBe(perp.symbol);
    expect(spot.kind).not.toBe(perp.kind);
  });
});

describe('renamedInstrument', () => {
  const spot = { symbol: 'BTCUSDT', kind: 'spot' as const, venue: 'binance', expiry: null };

  it('stores the canonical symbol and keeps kind and venue unless told', () => {
    expect(renamedInstrument(spot, { symbol: 'btc_usdt' })).toEqual({ ok: true, instrument: { symbol: 'BTC/USDT', kind: 'spot', venue: 'binance', expiry: null } });
    expect(renamedInstrument(spot, { symbol: 'BTC-PERP' })).toMatchObject({ instrument: { symbol: 'BTC', kind: 'perpetual' } });
    expect(renamedInstrument(spot, { symbol: 'BTC/USDT', kind: 'perpetual', venue: 'Bybit' })).toMatchObject({ instrument: { kind: 'perpetual', venue: 'bybit' } });
    expect(renamedInstrument(spot, { symbol: 'BTC/USDT', venue: null })).toMatchObject({ instrument: { venue: null } });
    expect(renamedInstrument(spot, { symbol: 'BTC/USDT', venue: '' })).toMatchObject({ instrument: { venue: null } });
  });

  it('keeps an expiry only while the instrument is a future', () => {
    const future = renamedInstrument(spot, { symbol: 'BTCUSD_240628' });
    expect(future).toMatchObject({ instrument: { symbol: 'BTC/USD', kind: 'future', expiry: day('2024-06-28') } });
    const current = { symbol: 'BTC/USD', kind: 'future' as const, venue: null, expiry: day('2024-06-28') };
    expect(renamedInstrument(current, { symbol: 'XBTUSD' })).toMatchObject({ instrument: { symbol: 'BTC/USD', kind: 'future', expiry: day('2024-06-28') } });
    expect(renamedInstrument(current, { symbol: 'BTC/USD', kind: 'perpetual' })).toMatchObject({ instrument: { kind: 'perpetual', expiry: null } });
    expect(renamedInstrument(current, { symbol: 'BTC/USD', expiry: day('2024-09-27') })).toMatchObject({ instrument: { expiry: day('2024-09-27') } });
  });

  it('refuses bad input with a sentence', () => {
    expect(renamedInstrument(spot, { symbol: '  ' })).toEqual({ ok: false, error: 'A symbol cannot be empty.' });
    expect(renamedInstrument(spot, { symbol: 'BTC USDT' })).toMatchObject({ ok: false, error: expect.stringMatching(/no spaces/) });
    expect(renamedInstrument(spot, { symbol: 'BTC/USDT', venue: 'two words' })).toMatchObject({ ok: false, error: expect.stringMatching(/not a venue/) });
    expect(renamedInstrument(spot, { symbol: 'BTC/USDT', expiry: day('2024-06-28') })).toMatchObject({ ok: false, error: 'Only a future has an expiry; this would be spot.' });
  });
});

describe('instrumentFileStem', () => {
  it('names a file that imports back as the same instrument', () => {
    const instruments = [
      { symbol: 'ETH/USDT', kind: 'spot' as const, venue: null, expiry: null },
      { symbol: 'BTC/USDT', kind: 'perpetual' as const, venue: 'binance', expiry: null },
      { symbol: 'BTC/USD', kind: 'future' as const, venue: 'deribit', expiry: day('2024-06-28') },
      { symbol: 'NVDA', kind: 'spot' as const, venue: 'nasdaq', expiry: null },
    ];
    expect(instruments.map(instrumentFileStem)).toEqual(['ETH_USDT', 'binance_BTC_USDT_PERP', 'deribit_BTC_USD_28JUN24', 'nasdaq_NVDA']);
    for (const i of instruments) {
      const name = `${instrumentFileStem(i)}_5m.csv`;
      const facts = symbolAndTimeframeFromFileName(name);
      const back = resolveInstrument({ symbol: facts.symbol, fileName: name, exchange: facts.exchange, family: 'Generic CSV', header: null });
      expect({ symbol: back.symbol, kind: back.kind, venue: back.venue, expiry: back.expiry }, name).toEqual(i);
      expect(facts.timeframeMs).toBe(300_000);
    }
  });
});
