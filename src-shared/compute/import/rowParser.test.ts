import { describe, expect, it } from 'vitest';
import { CandleBatch } from './candleBatch.js';
import { LineSplitter } from './lineSplitter.js';
import type { ParsePlan } from './plan.js';
import { createRowParser } from './rowParser.js';
import { sniffFormat } from './sniff.js';

function plan(overrides: Partial<ParsePlan> = {}): ParsePlan {
  return {
    family: 'Generic CSV',
    format: 'delimited',
    delimiter: ',',
    decimalComma: false,
    header: ['time', 'open', 'high', 'low', 'close', 'volume', 'oi'],
    dataStartLine: 1,
    columns: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, symbol: null },
    extras: [{ index: 6, name: 'oi' }],
    time: { kind: 'epoch', dayFirst: false, hasZone: false, example: '' },
    symbol: null,
    symbolSource: null,
    timeframeMs: null,
    timeframeSource: null,
    kind: 'spot',
    expiry: null,
    kindReason: 'nothing says otherwise',
    venue: null,
    ...overrides,
  };
}

describe('createRowParser', () => {
  it('appends valid rows with their line numbers and extras', () => {
    const parse = createRowParser(plan());
    const out = new CandleBatch(1);
    expect(parse('1700000000000,10,12,9,11,100,5.5', 2, out)).toBe('ok');
    expect(parse('1700000060,10,12,9,11,100', 3, out)).toBe('ok'); // seconds, and no extra cell
    expect(out.length).toBe(2);
    expect(out.ts[1]).toBe(1700000060000);
    expect(out.extras[0]![0]).toBe(5.5);
    expect(out.extras[0]![1]).toBeNaN();
    expect(Array.from(out.lineNo.subarray(0, 2))).toEqual([2, 3]);
  });

  it('skips blank lines, lines of delimiters, comments and repeated headers', () => {
    const parse = createRowParser(plan());
    const out = new CandleBatch(1);
    for (const line of ['', '   ', ',,,,,,', '# exported by X', 'time,open,high,low,close,volume,oi']) expect(parse(line, 1, out), line).toBe('skip');
    expect(out.length).toBe(0);
  });

  it('rejects with a reason and leaves the batch untouched', () => {
    const parse = createRowParser(plan());
    const out = new CandleBatch(1);
    const cases: [string, RegExp][] = [
      ['1700000000000,10,12', /the line has 3 fields, expected at least 5/],
      ['yesterday,10,12,9,11,1', /time 'yesterday' is not a date or timestamp/],
      ['1700000000000,ten,12,9,11,1', /open 'ten' is not a number/],
      ['1700000000000,10,,9,11,1', /high is missing/],
      ['1700000000000,null,null,null,null,null', /prices are empty or null/],
      ['1700000000000,10,12,9,11,lots', /volume 'lots' is not a number/],
      ['1700000000000,10,8,9,9,1', /high 8 is below low 9/],
      ['1700000000000,13,12,9,11,1', /open 13 is outside/],
      ['1700000000000,10,12,9,11,-1', /volume -1 is negative/],
      ['1700000000000,0,12,0,11,1', /not a positive price/],
      ['99999999999999999999,10,12,9,11,1', /outside the years 1900–2200/],
    ];
    for (const [line, reason] of cases) expect(parse(line, 7, out), line).toMatch(reason);
    expect(out.length).toBe(0);
  });

  it('accepts a null volume as missing', () => {
    const parse = createRowParser(plan());
    const out = new CandleBatch(1);
    expect(parse('1700000000000,10,12,9,11,NULL,', 2, out)).toBe('ok');
    expect(out.volume[0]).toBeNaN();
  });

  it('reads quoted cells with thousands separators and delimiters inside quotes', () => {
    const parse = createRowParser(plan({ time: { kind: 'text', dayFirst: false, hasZone: false, example: '' } }));
    const out = new CandleBatch(1);
    expect(parse('"2024-01-02 00:00","1,234.50","1,240.00","1,200.25","1,230.00","12,345","7"', 2, out)).toBe('ok');
    expect([out.open[0], out.high[0], out.low[0], out.close[0], out.volume[0], out.extras[0]![0]]).toEqual([1234.5, 1240, 1200.25, 1230, 12345, 7]);
    expect(out.ts[0]).toBe(Date.parse('2024-01-02T00:00:00Z'));
  });

  it('reads decimal commas with a semicolon delimiter', () => {
    const parse = createRowParser(plan({ delimiter: ';', decimalComma: true, time: { kind: 'text', dayFirst: true, hasZone: false, example: '' } }));
    const out = new CandleBatch(1);
    expect(parse('01.02.2019 10:00;1,1234;1,1300;1,1200;1,1250;1.500;3', 2, out)).toBe('ok');
    expect(out.ts[0]).toBe(Date.parse('2019-02-01T10:00:00Z'));
    expect([out.open[0], out.volume[0]]).toEqual([1.1234, 1500]);
  });

  it('adds a separate time-of-day column to the date', () => {
    const parse = createRowParser(plan({ columns: { time: 0, date2: 1, open: 2, high: 3, low: 4, close: 5, volume: 6, symbol: null }, extras: [], time: { kind: 'text', dayFirst: false, hasZone: false, example: '' } }));
    const out = new CandleBatch(0);
    expect(parse('2019.02.15,14:00,1.12525,1.12851,1.12514,1.12686,9915', 2, out)).toBe('ok');
    expect(out.ts[0]).toBe(Date.parse('2019-02-15T14:00:00Z'));
    expect(parse('2019.02.15,25:00,1.12525,1.12851,1.12514,1.12686,9915', 3, out)).toBe("time '2019.02.15 25:00' is not a date and time");
  });

  it('grows the batch and clear() reuses it', () => {
    const parse = createRowParser(plan({ extras: [] }));
    const out = new CandleBatch(0, 16);
    for (let i = 0; i < 100; i++) expect(parse(`${1_700_000_000_000 + i * 60_000},10,12,9,11,1`, i + 1, out)).toBe('ok');
    expect(out.length).toBe(100);
    expect(out.capacity).toBeGreaterThanOrEqual(100);
    expect(out.ts[99]).toBe(1_700_000_000_000 + 99 * 60_000);
    expect(out.lineNo[99]).toBe(100);
    out.clear();
    expect(out.length).toBe(0);
  });

  it('refuses a JSON plan', () => {
    expect(() => createRowParser(plan({ format: 'json', family: 'freqtrade JSON' }))).toThrow(/parseFreqtradeJson/);
  });
});

// Row parsing speed is reported by the import benchmark (import.rowsPerSec, the whole process).
describe('a 200k-row file, parsed line by line and through the LineSplitter in 1 MB chunks', () => {
  /** Builds a CSV, sniffs it, and checks that both ways parse every row to the same candles. */
  function parsesEveryRow(makeLine: (i: number, t: number, o: string, h: string, l: string, c: string) => string): void {
    const rows = 200_000;
    const parts: string[] = [];
    // prices as integer cents written with string ops: toFixed() on a million values would dominate the test's time
    const price = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const closeCents = (i: number): number => 9_600_000 + ((i * 7919) % 300_000) + ((i * 104_729) % 20_000) - 10_000;
    let wantCloseSum = 0;
    for (let i = 0; i < rows; i++) {
      const t = 1_733_011_200_000 + i * 60_000;
      const o = 9_600_000 + ((i * 7919) % 300_000);
      const c = closeCents(i);
      wantCloseSum += c;
      parts.push(makeLine(i, t, price(o), price(Math.max(o, c) + 1234), price(Math.min(o, c) - 567), price(c)));
    }
    const text = parts.join('\n') + '\n';
    const sniffed = sniffFormat(text.slice(0, 40_000).split('\n').slice(0, 200), 'BTCUSDT-1m-2024-12.csv');
    if (!sniffed.ok) throw new Error(sniffed.error);
    const parse = createRowParser(sniffed.plan);
    const out = new CandleBatch(sniffed.plan.extras.length, 1 << 16);

    const read = (withSplitting: boolean): { ok: number; closeCents: number; lastTs: number } => {
      let ok = 0;
      let closeSum = 0;
      let lastTs = Number.NaN;
      const take = (): void => {
        for (let k = 0; k < out.length; k++) closeSum += Math.round(out.close[k]! * 100);
        if (out.length > 0) lastTs = out.ts[out.length - 1]!;
        out.clear();
      };
      if (withSplitting) {
        const splitter = new LineSplitter();
        let line = 0;
        for (let i = 0; i < text.length; i += 1 << 20) {
          const chunk = splitter.push(text.slice(i, i + (1 << 20)));
          for (let k = 0; k < chunk.length; k++) if (parse(chunk[k]!, ++line, out) === 'ok') ok++;
          take();
        }
      } else {
        const lines = text.split('\n');
        for (let k = 0; k < rows; k++) if (parse(lines[k]!, k + 1, out) === 'ok') ok++;
        take();
      }
      return { ok, closeCents: closeSum, lastTs };
    };
    const want = { ok: rows, closeCents: wantCloseSum, lastTs: 1_733_011_200_000 + (rows - 1) * 60_000 };
    expect(read(false)).toEqual(want);
    expect(read(true)).toEqual(want);
  }

  it('Binance klines (12 columns, 4 extras)', () => {
    parsesEveryRow((i, t, o, h, l, c) =>
      `${t},${o}000000,${h}000000,${l}000000,${c}000000,${532 + (i % 97)}.95388000,${t + 59_999},51410648.79613400,${154_693 + i},246.27919000,23756467.10209110,0`,
    );
  });

  it('plain time,o,h,l,c,v', () => {
    parsesEveryRow((i, t, o, h, l, c) => `${t},${o},${h},${l},${c},${532 + (i % 97)}.95388`);
  });
});
