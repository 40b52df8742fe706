import { describe, expect, it } from 'vitest';
import { CandleBatch } from './candleBatch.js';
import { describePlan } from './describePlan.js';
import { parseFreqtradeJson } from './freqtradeJson.js';
import { LineSplitter } from './lineSplitter.js';
import type { ImportOverrides } from './plan.js';
import { createRowParser } from './rowParser.js';
import { sniffFormat } from './sniff.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The importer's path over an in-memory file: split, sniff, parse every line after the preamble. */
function importText(text: string, fileName: string, overrides?: ImportOverrides) {
  const splitter = new LineSplitter();
  const lines = [...splitter.push(text), ...splitter.end()];
  const sniffed = sniffFormat(lines.slice(0, 200), fileName, overrides);
  if (!sniffed.ok) throw new Error(`sniff failed: ${sniffed.error}`);
  const { plan } = sniffed;
  const batch = new CandleBatch(plan.extras.length);
  const rejected: string[] = [];
  if (plan.format === 'json') {
    rejected.push(...parseFreqtradeJson(text, batch).rejected.map((r) => `${r.lineNo}: ${r.reason}`));
  } else {
    const parse = createRowParser(plan);
    for (let i = plan.dataStartLine; i < lines.length; i++) {
      const s = parse(lines[i]!, i + 1, batch);
      if (s !== 'ok' && s !== 'skip') rejected.push(`${i + 1}: ${s}`);
    }
  }
  const rows = Array.from({ length: batch.length }, (_, i) => ({
    t: iso(batch.ts[i]!),
    o: batch.open[i]!,
    h: batch.high[i]!,
    l: batch.low[i]!,
    c: batch.close[i]!,
    v: batch.volume[i]!,
    x: batch.extras.map((e) => e[i]!),
    line: batch.lineNo[i]!,
  }));
  return { plan, warnings: sniffed.warnings, rows, rejected, describe: describePlan(plan) };
}

function sniffError(text: string, fileName = 'data.csv', overrides?: ImportOverrides): string {
  const r = sniffFormat(text.split('\n'), fileName, overrides);
  if (r.ok) throw new Error(`expected a rejection, got a ${r.plan.family} plan`);
  return r.error;
}

describe('Binance klines', () => {
  it('reads headerless spot files with microsecond timestamps (2025 on)', () => {
    const text = [
      '1735689600000000,93576.00000000,94509.42000000,93489.03000000,94401.14000000,1024.78312000,1735693199999999,96365123.27,150207,520.97,48993733.65,0',
      '1735693200000000,94401.13000000,94593.00000000,94150.35000000,94200.00000000,500.00000000,1735696799999999,47201231.00,90000,250.00,23600000.00,0',
    ].join('\n');
    const r = importText(text, 'BTCUSDT-1h-2025-01.csv');
    expect(r.plan.family).toBe('Binance klines');
    expect(r.plan.header).toBeNull();
    expect(r.plan.extras.map((e) => e.name)).toEqual(['quote_volume', 'trades', 'taker_buy_base_volume', 'taker_buy_quote_volume']);
    expect(r.rows.map((x) => x.t)).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z']);
    expect(r.rows[0]!.x).toEqual([96365123.27, 150207, 520.97, 48993733.65]);
    expect(r.plan).toMatchObject({ symbol: 'BTC/USDT', kind: 'spot', venue: 'binance' });
    expect(r.plan.timeframeMs).toBe(3_600_000);
  });

  it('reads futures files with a header, ignoring close_time and ignore', () => {
    const text = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n1675209600000,6.949,6.959,6.947,6.957,30020.25,1675209659999,208718.48852,471,10610.28,73780.89351,0\n';
    const r = importText(text, 'LINKUSDT-1m-2023-02.csv');
    expect(r.plan.family).toBe('Binance klines');
    expect(r.plan.dataStartLine).toBe(1);
    expect(r.plan.extras.map((e) => e.name)).toEqual(['quote_volume', 'count', 'taker_buy_volume', 'taker_buy_quote_volume']);
    expect(r.rows[0]).toMatchObject({ t: '2023-02-01T00:00:00Z', o: 6.949, h: 6.959, l: 6.947, c: 6.957, v: 30020.25, line: 2 });
  });
});

describe('CryptoDataDownload', () => {
  it('skips the URL line, reads newest-first rows, NULL values, ms and s mixed, the same bar twice', () => {
    const text = [
      'https://www.CryptoDataDownload.com',
      'unix,date,symbol,open,high,low,close,Volume BTC,Volume USDT,tradecount',
      '1609286400000,2020-12-30 00:00:00,BTC/USDT,27402.83,27522.67,27402.82,27511.56,1907.276,52365561.68777,8843',
      '1609200000,2020-12-29 00:00:00,BTC/USDT,27101.45,27441.73,25913.01,27402.83,260759.449,6956813209.79086,NULL',
      '1609200000000,2020-12-29,BTC/USDT,27101.45,27441.73,25913.01,27402.83,260759.449,6956813209.79086,1833178',
      '1609113600000,2020-12-28 00:00:00,BTC/USDT,26301.76,27538.82,26117.10,27102.66,NULL,NULL,NULL',
    ].join('\n');
    const r = importText(text, 'BTCUSDT_Binance_futures_data_day.csv');
    expect(r.plan.family).toBe('CryptoDataDownload');
    expect(r.plan.dataStartLine).toBe(2);
    expect(r.plan.symbol).toBe('BTC/USDT');
    expect(r.plan.symbolSource).toBe('column');
    expect(r.plan.header![r.plan.columns.volume!]).toBe('Volume BTC');
    expect(r.plan.extras.map((e) => e.name)).toEqual(['Volume USDT', 'tradecount']);
    expect(r.rejected).toEqual([]);
    expect(r.rows.map((x) => x.t)).toEqual(['2020-12-30T00:00:00Z', '2020-12-29T00:00:00Z', '2020-12-29T00:00:00Z', '2020-12-28T00:00:00Z']);
    expect(r.rows[1]!.x[1]).toBeNaN();
    expect(r.rows[3]!.v).toBeNaN();
  });

  it('reads the 2020 layout: "Created on" preamble, CRLF, float seconds', () => {
    const text =
      'fullCreated on 09-07-2020,https://www.CryptoDataDownload.com\r\nUnix Timestamp,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT\r\n1599436800.0,2020-09-07,BTCUSDT,10256.2,10312,10065,10090.6,11301.16,115200105.71\r\n1599350400.0,2020-09-06,BTCUSDT,10166.69,10347.14,9994.86,10256.2,0,0\r\n';
    const r = importText(text, 'Binance_BTCUSDT_d.csv');
    expect(r.plan.family).toBe('CryptoDataDownload');
    expect(r.plan.time.kind).toBe('epoch');
    expect(r.rows.map((x) => x.t)).toEqual(['2020-09-07T00:00:00Z', '2020-09-06T00:00:00Z']);
    expect(r.rows[1]!.v).toBe(0);
    expect(r.plan).toMatchObject({ symbol: 'BTC/USDT', kind: 'spot', venue: 'binance' });
    expect(r.plan.timeframeMs).toBe(86_400_000);
  });

  it('reads 12-hour dates when the date is the only time column', () => {
    const a = importText('Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USD\n2020-09-07 11-PM,BTCUSD,10,12,9,11,1,10\n2020-09-07 12-AM,BTCUSD,10,12,9,11,1,10\n', 'Bitstamp_BTCUSD_1h.csv');
    expect(a.rows.map((x) => x.t)).toEqual(['2020-09-07T23:00:00Z', '2020-09-07T00:00:00Z']);
    const b = importText('Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USD\n9/7/2020 11:00:00 PM,BTCUSD,10,12,9,11,1,10\n9/7/2020 10:00:00 PM,BTCUSD,10,12,9,11,1,10\n', 'Bitstamp_BTCUSD_1h.csv');
    expect(b.rows.map((x) => x.t)).toEqual(['2020-09-07T23:00:00Z', '2020-09-07T22:00:00Z']);
    expect(b.plan.time.dayFirst).toBe(false);
  });
});

describe('Yahoo Finance', () => {
  it('keeps Close (not Adj Close), keeps Adj Close as an extra and rejects null rows', () => {
    const text = 'Date,Open,High,Low,Close,Adj Close,Volume\n1999-01-22,1.750000,1.953125,1.552083,1.640625,1.518424,67867200\n1999-01-25,null,null,null,null,null,null\n1999-01-26,1.833333,1.869792,1.645833,1.671875,1.547346,8580000\n';
    const r = importText(text, 'nvda-1999-2014.txt');
    expect(r.plan.family).toBe('Yahoo Finance');
    expect(r.plan.header![r.plan.columns.close]).toBe('Close');
    expect(r.plan.extras).toEqual([{ index: 5, name: 'Adj Close' }]);
    expect(r.rows.map((x) => x.c)).toEqual([1.640625, 1.671875]);
    expect(r.rejected).toEqual(['3: prices are empty or null (no trading in this bar)']);
    expect(r.warnings.some((w) => /00:00 UTC/.test(w))).toBe(true);
    expect(r.warnings.some((w) => /1 of the first 3 data rows will be rejected/.test(w))).toBe(true);
    expect(r.plan.symbol).toBe('NVDA');
  });
});

describe('TradingView', () => {
  it('reads ISO times with an offset and gives no zone warning', () => {
    const text = 'time,open,high,low,close,Volume\n2024-12-01T03:00:00+03:00,237.6,238.67,237.01,238.57,28146.21\n2024-12-01T03:15:00+03:00,238.56,239.08,238.31,239.08,20379.939';
    const r = importText(text, 'BINANCE_SOLUSDT, 15.csv');
    expect(r.plan.family).toBe('TradingView');
    expect(r.rows.map((x) => x.t)).toEqual(['2024-12-01T00:00:00Z', '2024-12-01T00:15:00Z']);
    expect(r.plan.time.hasZone).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.plan).toMatchObject({ symbol: 'SOL/USDT', timeframeMs: 900_000, kind: 'spot', venue: 'binance' });
  });

  it('reads unix seconds, no volume, indicator columns and case-colliding or repeated names', () => {
    const text =
      'time,open,high,low,close,High,Low,Plot,Plot,RSI,Basis,Upper,Lower\n' +
      '1733011200,100,110,90,105,111,89,1,2,55.5,100,120,80\n' +
      '1733014800,105,112,101,110,113,100,1,2,NaN,,121,81\n';
    const r = importText(text, 'BINANCE_BTCUSDT, 60.csv');
    expect(r.plan.family).toBe('TradingView');
    expect(r.plan.columns).toMatchObject({ time: 0, open: 1, high: 2, low: 3, close: 4, volume: null });
    expect(r.plan.extras.map((e) => e.name)).toEqual(['High_2', 'Low_2', 'Plot', 'Plot_2', 'RSI', 'Basis', 'Upper', 'Lower']);
    expect(r.rows.map((x) => x.t)).toEqual(['2024-12-01T00:00:00Z', '2024-12-01T01:00:00Z']);
    expect(r.rows[1]!.v).toBeNaN();
    expect(r.rows[1]!.x[4]).toBeNaN();
    expect(r.rows[0]!.x[0]).toBe(111);
    expect(r.describe).toContain('volume: none');
  });
});

describe('MetaTrader', () => {
  it('MT4 with a header: separate date and time columns, broker-time warning', () => {
    const text = 'Date,Time,Open,High,Low,Close,Volume\n2019.02.15,14:00,1.12525,1.12851,1.12514,1.12686,9915\n2019.02.15,15:00,1.1269,1.1276,1.12574,1.12628,7985\n';
    const r = importText(text, 'EURUSD60.csv');
    expect(r.plan.family).toBe('MetaTrader 4');
    expect(r.plan.columns).toMatchObject({ time: 0, date2: 1 });
    expect(r.rows.map((x) => x.t)).toEqual(['2019-02-15T14:00:00Z', '2019-02-15T15:00:00Z']);
    expect(r.warnings.join(' ')).toMatch(/broker server time/);
    expect(r.plan).toMatchObject({ symbol: 'EUR/USD', timeframeMs: 3_600_000 });
    expect(r.describe.join('\n')).toMatch(/time ← 'Date' \+ 'Time'/);
  });

  it('MT4 without a header', () => {
    const r = importText('2019.02.15,14:00,1.12525,1.12851,1.12514,1.12686,9915\n2019.02.15,15:00,1.1269,1.1276,1.12574,1.12628,7985\n', 'GBPUSD240.csv');
    expect(r.plan.header).toBeNull();
    expect(r.plan.family).toBe('MetaTrader 4');
    expect(r.plan.columns).toMatchObject({ time: 0, date2: 1, open: 2, high: 3, low: 4, close: 5, volume: 6 });
    expect(r.rows.map((x) => x.t)).toEqual(['2019-02-15T14:00:00Z', '2019-02-15T15:00:00Z']);
    expect(r.plan.timeframeMs).toBe(4 * 3_600_000);
  });

  it('MT5 tab export: TICKVOL is the volume when VOL is all zero', () => {
    const text = '<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>\n2019.02.15\t14:00:00\t1.12525\t1.12851\t1.12514\t1.12686\t9915\t0\t12\n2019.02.15\t15:00:00\t1.12690\t1.12760\t1.12574\t1.12628\t7985\t0\t10\n';
    const r = importText(text, 'EURUSD_H1_201902151400_201902151500.csv');
    expect(r.plan.family).toBe('MetaTrader 5');
    expect(r.plan.delimiter).toBe('\t');
    expect(r.plan.header![r.plan.columns.volume!]).toBe('<TICKVOL>');
    expect(r.plan.extras.map((e) => e.name)).toEqual(['VOL', 'SPREAD']);
    expect(r.rows.map((x) => [x.t, x.v])).toEqual([['2019-02-15T14:00:00Z', 9915], ['2019-02-15T15:00:00Z', 7985]]);
    expect(r.warnings.join(' ')).toMatch(/VOL is all zero, so TICKVOL is used/);
    expect(r.plan).toMatchObject({ symbol: 'EUR/USD', timeframeMs: 3_600_000 });
  });

  it('MT5 with real volume keeps VOL and makes TICKVOL an extra', () => {
    const text = '<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>\n2019.02.15\t14:00:00\t10\t12\t9\t11\t9915\t120\t1\n';
    const r = importText(text, 'ES_M5.csv');
    expect(r.plan.header![r.plan.columns.volume!]).toBe('<VOL>');
    expect(r.plan.extras.map((e) => e.name)).toEqual(['TICKVOL', 'SPREAD']);
    expect(r.rows[0]!.v).toBe(120);
  });
});

describe('European and quoted number formats', () => {
  it('semicolons with decimal commas and unambiguous dd.mm.yyyy dates', () => {
    const text = 'Datum;Eröffnung;Hoch;Tief;Schluss;Volumen\n'.replace('Eröffnung', 'Open').replace('Hoch', 'High').replace('Tief', 'Low').replace('Schluss', 'Close').replace('Volumen', 'Volume').replace('Datum', 'Date') +
      '13.02.2019 10:00;1,1234;1,1300;1,1200;1,1250;1.500\n14.02.2019 10:00;1,1250;1,1310;1,1240;1,1300;2.000,5\n';
    const r = importText(text, 'eurusd.csv');
    expect(r.plan.delimiter).toBe(';');
    expect(r.plan.decimalComma).toBe(true);
    expect(r.plan.time.dayFirst).toBe(true);
    expect(r.warnings.join(' ')).not.toMatch(/day-first or month-first/);
    expect(r.rows.map((x) => [x.t, x.o, x.v])).toEqual([['2019-02-13T10:00:00Z', 1.1234, 1500], ['2019-02-14T10:00:00Z', 1.125, 2000.5]]);
    expect(r.describe.join('\n')).toMatch(/Delimiter: ;  decimal comma/);
  });

  it('ambiguous dd.mm.yyyy: warns and reads day first, unless told otherwise', () => {
    const text = 'Date;Open;High;Low;Close\n01.02.2019;1,1;1,2;1,0;1,15\n02.02.2019;1,1;1,2;1,0;1,15\n';
    const r = importText(text, 'x.csv');
    expect(r.warnings.join(' ')).toMatch(/could be day-first or month-first; they are read as day\/month\/year/);
    expect(r.rows[0]!.t).toBe('2019-02-01T00:00:00Z');
    const us = importText(text, 'x.csv', { dayFirst: false });
    expect(us.rows[0]!.t).toBe('2019-01-02T00:00:00Z');
    expect(us.warnings.join(' ')).not.toMatch(/day-first or month-first/);
  });

  it('month-first evidence wins over the override', () => {
    const r = importText('Date,Open,High,Low,Close\n02/13/2019,1,2,0.5,1\n', 'x.csv', { dayFirst: true });
    expect(r.rows[0]!.t).toBe('2019-02-13T00:00:00Z');
    expect(r.plan.time.dayFirst).toBe(false);
  });

  it('quoted numbers with thousands separators', () => {
    const text = 'Date,Price,Open,High,Low,Vol.\n"Jan 03, 2024","42,836.10","44,179.90","45,503.40","40,888.00","123,456"\n"Jan 02, 2024","44,179.90","42,284.40","45,876.20","42,206.50","98,765"\n';
    const r = importText(text, 'BTC_USD Bitfinex Historical Data.csv');
    expect(r.plan.decimalComma).toBe(false);
    expect(r.rows[0]).toMatchObject({ t: '2024-01-03T00:00:00Z', o: 44179.9, h: 45503.4, l: 40888, c: 42836.1, v: 123456 });
    expect(r.plan.symbol).toBe('BTC/USD');
    expect(r.plan.venue).toBe('bitfinex');
  });
});

describe('other layouts', () => {
  it('pandas exports with microsecond timestamps and an unnamed index column', () => {
    const text = ',timestamp,open,high,low,close,volume\n0,2021-03-04 05:06:00.000000,10,12,9,11,1.5\n1,2021-03-04 05:07:00.000000,11,12,10,11.5,2\n';
    const r = importText(text, 'SOL_USDT-1m.csv');
    expect(r.rows.map((x) => x.t)).toEqual(['2021-03-04T05:06:00Z', '2021-03-04T05:07:00Z']);
    expect(r.plan.extras).toEqual([]);
    expect(r.plan.symbol).toBe('SOL/USDT');
    expect(r.warnings.join(' ')).toMatch(/no time zone; they are treated as UTC/);
  });

  it('header synonyms o/h/l/c/v and *_price', () => {
    const a = importText('t,o,h,l,c,v\n1700000000,1,2,0.5,1.5,10\n', 'a.csv');
    expect(a.plan.columns).toMatchObject({ time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 });
    const b = importText('datetime,open_price,high_price,low_price,close_price,base_volume,quote_volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10,15\n', 'b.csv');
    expect(b.plan.columns).toMatchObject({ time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 });
    expect(b.plan.extras).toEqual([{ index: 6, name: 'quote_volume' }]);
  });

  it('picks the base-asset volume from the symbol when the quote volume comes first', () => {
    const r = importText('date,symbol,open,high,low,close,Volume USDT,Volume ETH\n2024-01-01,ETH/USDT,1,2,0.5,1.5,300,200\n', 'x.csv');
    expect(r.plan.header![r.plan.columns.volume!]).toBe('Volume ETH');
    expect(r.plan.extras.map((e) => e.name)).toEqual(['Volume USDT']);
  });

  it('tab-separated broker exports without a header, by position', () => {
    const text = '2019-02-15 14:00\t1.12525\t1.12851\t1.12514\t1.12686\t9915\t3\n2019-02-15 15:00\t1.1269\t1.1276\t1.12574\t1.12628\t7985\t4\n';
    const r = importText(text, 'export.txt');
    expect(r.plan.family).toBe('Generic CSV (no header)');
    expect(r.plan.columns).toMatchObject({ time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 });
    expect(r.plan.extras).toEqual([{ index: 6, name: 'col7' }]);
    expect(r.rows).toHaveLength(2);
  });

  it('headerless with a symbol column and no volume', () => {
    const r = importText('EURUSD,20190215,140000,1.1,1.2,1.0,1.15\nEURUSD,20190215,150000,1.1,1.2,1.0,1.15\n', 'finam.csv');
    expect(r.plan.columns).toMatchObject({ time: 1, date2: 2, open: 3, close: 6, volume: null, symbol: 0 });
    expect(r.plan.symbol).toBe('EUR/USD');
    expect(r.rows.map((x) => x.t)).toEqual(['2019-02-15T14:00:00Z', '2019-02-15T15:00:00Z']);
  });

  it('strips a UTF-8 BOM and reads CRLF', () => {
    const r = importText('\uFEFFtime,open,high,low,close,volume\r\n1700000000000,1,2,0.5,1.5,3\r\n', 'x.csv');
    expect(r.plan.header![0]).toBe('time');
    expect(r.rows).toHaveLength(1);
  });

  it('skips a repeated header in the middle of the file', () => {
    const r = importText('time,open,high,low,close\n1700000000,1,2,0.5,1.5\ntime,open,high,low,close\n1700000060,1,2,0.5,1.5\n', 'x.csv');
    expect(r.rejected).toEqual([]);
    expect(r.rows).toHaveLength(2);
  });

  it('freqtrade JSON', () => {
    const r = importText('[[1515560100000, 0.0984, 0.0994766, 0.09828605, 0.0994766, 1820.54447418], [1515560400000, 0.09946999, 0.0997238, 0.099, 0.09969, 2527.92100293]]', 'ETH_BTC-5m.json');
    expect(r.plan.family).toBe('freqtrade JSON');
    expect(r.plan.format).toBe('json');
    expect(r.rows.map((x) => x.t)).toEqual(['2018-01-10T04:55:00Z', '2018-01-10T05:00:00Z']);
    expect(r.plan).toMatchObject({ symbol: 'ETH/BTC', timeframeMs: 300_000 });
  });
});

describe('overrides', () => {
  it('symbol, timeframe, delimiter and columns by name or index', () => {
    const text = 'a|b|c|d|e|f\n2024-01-01|1|2|0.5|1.5|9\n';
    const r = importText(text, 'x.csv', {
      symbol: 'btc/usdt',
      timeframe: '4h',
      delimiter: 'pipe',
      columns: { time: 'a', open: '1', high: 'C', low: 'd', close: 'e', volume: '5' },
    });
    expect(r.plan).toMatchObject({ symbol: 'BTC/USDT', symbolSource: 'override', timeframeMs: 4 * 3_600_000, timeframeSource: 'override', delimiter: '|' });
    expect(r.plan.columns).toMatchObject({ time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 });
    expect(r.rows[0]).toMatchObject({ o: 1, h: 2, l: 0.5, c: 1.5, v: 9 });
  });

  it('a date and a time override make a date + time-of-day pair', () => {
    const r = importText('d,tm,o,h,l,c\n2019-02-15,14:00,1,2,0.5,1.5\n', 'x.csv', { columns: { date: 'd', time: 'tm' } });
    expect(r.plan.columns).toMatchObject({ time: 0, date2: 1 });
    expect(r.rows[0]!.t).toBe('2019-02-15T14:00:00Z');
  });

  it('rejects overrides that do not fit the file', () => {
    const text = 'time,open,high,low,close\n1700000000,1,2,0.5,1.5\n';
    expect(sniffError(text, 'x.csv', { timeframe: 'fast' })).toBe("The timeframe 'fast' is not a timeframe like 5m, 1h or 1d.");
    expect(sniffError(text, 'x.csv', { columns: { open: 'Opening' } })).toMatch(/^The column 'Opening' chosen for open is not in the header/);
    expect(sniffError(text, 'x.csv', { columns: { open: '9' } })).toMatch(/not one of the file's 5 columns/);
    expect(sniffError(text, 'x.csv', { delimiter: '::' })).toMatch(/must be a single character/);
  });
});

describe('whole-file rejections, one sentence each', () => {
  it('empty file', () => {
    expect(sniffError('')).toBe('The file is empty.');
    expect(sniffError('\n  \n\r\n')).toBe('The file is empty.');
  });
  it('header only', () => {
    expect(sniffError('time,open,high,low,close,volume\n')).toBe('The file has a header but no data rows.');
  });
  it('binary content', () => {
    expect(sniffError('PK\u0003\u0004\u0000\u0000abc')).toMatch(/^The file is binary/);
    expect(sniffError('\u001f\ufffd\b\u0000\ufffd\ufffd')).toMatch(/^The file is binary/);
    expect(sniffError('\ufffd\ufffd\ufffd\u0007\u0002abc\ufffd\ufffd\u0013\u0014')).toMatch(/^The file is binary/);
  });
  it('no OHLC columns', () => {
    expect(sniffError('id,name,price\n1,apple,3\n2,pear,4\n')).toBe('No open/high/low/close columns found: the header is id,name,price.');
    expect(sniffError('date,open,high,close\n2024-01-01,1,2,1.5\n')).toBe('No low column found: the header is date,open,high,close.');
    expect(sniffError('just some words\nand more words\n')).toMatch(/^No open\/high\/low\/close columns found: the first line is just some words\./);
    expect(sniffError('2024-01-01,1,2\n2024-01-02,1,2\n')).toMatch(/^No open\/high\/low\/close columns found: the first data line is/);
  });
  it('a line too long', () => {
    expect(sniffError(`time,open,high,low,close\n${'1,'.repeat(600_000)}\n`)).toMatch(/^Line 2 is longer than 1,000,000 characters/);
  });
  it('no row can be read', () => {
    expect(sniffError('time,open,high,low,close\n1700000000,5,2,3,4\n1700000060,5,2,3,4\n')).toBe('None of the first 2 data rows can be read (line 2: high 2 is below low 3).');
  });
  it('JSON that is not candles', () => {
    expect(sniffError('{"data": [1, 2]}', 'x.json')).toMatch(/^The JSON file is not an array of candles/);
    expect(sniffError('[]', 'x.json')).toBe('The JSON file holds no candles.');
  });
});

describe('describePlan', () => {
  it('names the source of every field in a few short lines', () => {
    const r = importText('https://www.CryptoDataDownload.com\nunix,date,symbol,open,high,low,close,Volume BTC,Volume USDT\n1609286400000,2020-12-30 00:00:00,BTC/USDT,1,2,0.5,1.5,3,4\n', 'BTCUSDT_Binance_futures_data_day.csv');
    expect(r.describe).toEqual([
      'Format: CryptoDataDownload',
      'Delimiter: ,',
      'Header on line 2 (1 line before it skipped)',
      "time ← 'unix' (epoch numbers, unit per value)",
      "open, high, low, close ← 'open', 'high', 'low', 'close'",
      "volume ← 'Volume BTC'",
      'extras: Volume USDT',
      'symbol: BTC/USDT (from the symbol column)',
      'timeframe: 1d (from the file name)',
      'contract: perpetual (from the file name says futures)',
      'venue: binance',
    ]);
  });
});

describe('more exports seen in the wild', () => {
  it("Excel's sep= line, and a semicolon file whose 3-decimal prices look like thousands", () => {
    const r = importText('sep=;\nDate;Open;High;Low;Close;Volume\n2023-02-01;6,949;6,959;6,947;6,957;30020\n', 'x.csv');
    expect(r.plan.delimiter).toBe(';');
    expect(r.plan.dataStartLine).toBe(2);
    expect(r.plan.decimalComma).toBe(true);
    expect(r.rows[0]).toMatchObject({ o: 6.949, h: 6.959, v: 30020 });
  });

  it('Nasdaq exports: $ prices and a Close/Last column', () => {
    const r = importText('Date,Close/Last,Volume,Open,High,Low\n12/31/2024,$134.29,155659200,$138.03,$138.07,$133.83\n12/30/2024,$137.49,167734700,$134.83,$140.27,$134.02\n', 'HistoricalData_NVDA.csv');
    expect(r.plan.columns).toMatchObject({ time: 0, close: 1, volume: 2, open: 3, high: 4, low: 5 });
    expect(r.rows[0]).toMatchObject({ t: '2024-12-31T00:00:00Z', o: 138.03, c: 134.29, v: 155659200 });
  });

  it('quoted decimal commas in a comma-separated file', () => {
    const r = importText('Date,Open,High,Low,Close\n"2024-01-02","1,25","1,5","1,1","1,3"\n', 'x.csv');
    expect(r.plan.decimalComma).toBe(true);
    expect(r.rows[0]).toMatchObject({ o: 1.25, h: 1.5, l: 1.1, c: 1.3 });
  });

  it('a sample of only null rows names the problem instead of "no OHLC columns"', () => {
    expect(sniffError('Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-01,null,null,null,null,null,null\n')).toBe(
      'The first data row cannot be read (line 2: prices are empty or null (no trading in this bar)).',
    );
  });
});
