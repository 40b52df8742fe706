import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { marketCorpus } from '../../../test-support/fixtures.js';
import { requirePrerequisite } from '../../../test-support/vitest.js';
import { CandleBatch } from './candleBatch.js';
import { describePlan } from './describePlan.js';
import { parseFreqtradeJson } from './freqtradeJson.js';
import { LineSplitter } from './lineSplitter.js';
import { createRowParser } from './rowParser.js';
import { sniffFormat } from './sniff.js';

/**
 * Every real export in ../shared/fixtures/market must import to the facts its README states.
 * The files are read from outside the repository (their licences vary).
 */
const corpus = marketCorpus();

interface Expected {
  file: string;
  family: string;
  rows: number;
  first: string;
  last: string;
  symbol?: string;
  timeframe?: number;
  kind?: string;
  venue?: string;
  rejected?: number;
}

const H = 3_600_000;
const EXPECTED: Expected[] = [
  { file: 'binance-spot/BTCUSDT-1h-2024-12.csv', family: 'Binance klines', rows: 744, first: '2024-12-01T00:00:00Z', last: '2024-12-31T23:00:00Z', symbol: 'BTC/USDT', timeframe: H, kind: 'spot', venue: 'binance' },
  { file: 'binance-futures/LINKUSDT-1m-2023-02.csv', family: 'Binance klines', rows: 40320, first: '2023-02-01T00:00:00Z', last: '2023-02-28T23:59:00Z', symbol: 'LINK/USDT', timeframe: 60_000, kind: 'perpetual', venue: 'binance' },
  { file: 'cryptodatadownload/BTCUSDT_Binance_futures_data_day.csv', family: 'CryptoDataDownload', rows: 480, first: '2019-09-08T00:00:00Z', last: '2020-12-30T00:00:00Z', symbol: 'BTC/USDT', timeframe: 24 * H, kind: 'perpetual', venue: 'binance' },
  { file: 'cryptodatadownload-legacy/Binance_BTCUSDT_d.csv', family: 'CryptoDataDownload', rows: 1106, first: '2017-08-17T00:00:00Z', last: '2020-09-07T00:00:00Z', symbol: 'BTC/USDT', timeframe: 24 * H, kind: 'spot', venue: 'binance' },
  { file: 'freqtrade/ETH_BTC-5m.json', family: 'freqtrade JSON', rows: 5760, first: '2018-01-10T04:55:00Z', last: '2018-01-30T04:50:00Z', symbol: 'ETH/BTC', timeframe: 5 * 60_000, kind: 'spot' },
  { file: 'yahoo/nvda-1999-2014.txt', family: 'Yahoo Finance', rows: 4012, first: '1999-01-22T00:00:00Z', last: '2014-12-31T00:00:00Z', symbol: 'NVDA', kind: 'spot' },
  { file: 'tradingview/BINANCE_SOLUSDT, 15.csv', family: 'TradingView', rows: 20303, first: '2024-12-01T00:00:00Z', last: '2025-06-30T11:30:00Z', symbol: 'SOL/USDT', timeframe: 15 * 60_000, kind: 'spot', venue: 'binance' },
  { file: 'metatrader4/EURUSD60.csv', family: 'MetaTrader 4', rows: 3728, first: '2019-02-15T14:00:00Z', last: '2019-09-20T20:00:00Z', symbol: 'EUR/USD', timeframe: H, kind: 'spot' },
];

/** Reads a file the way the importer does: chunks → lines → sniff → parse; then sorts and drops repeated timestamps. */
function importFile(path: string, fileName: string) {
  const text = readFileSync(path, 'utf8');
  const splitter = new LineSplitter();
  const lines: string[] = [];
  // odd chunk size so chunk boundaries fall inside lines and between \r and \n
  for (let i = 0; i < text.length; i += 65_521) lines.push(...splitter.push(text.slice(i, i + 65_521)));
  lines.push(...splitter.end());
  const sniffed = sniffFormat(lines.slice(0, 200), fileName);
  if (!sniffed.ok) throw new Error(sniffed.error);
  const { plan } = sniffed;
  const batch = new CandleBatch(plan.extras.length);
  const rejections: string[] = [];
  if (plan.format === 'json') {
    rejections.push(...parseFreqtradeJson(text, batch).rejected.map((r) => `${r.lineNo}: ${r.reason}`));
  } else {
    const parse = createRowParser(plan);
    for (let i = plan.dataStartLine; i < lines.length; i++) {
      const status = parse(lines[i]!, i + 1, batch);
      if (status !== 'ok' && status !== 'skip') rejections.push(`${i + 1}: ${status}`);
    }
  }
  const ts = Array.from(batch.ts.subarray(0, batch.length)).sort((a, b) => a - b);
  const unique = ts.filter((t, i) => i === 0 || t !== ts[i - 1]);
  return { plan, warnings: sniffed.warnings, unique, rejections, batch };
}

describe('real market files', () => {
  if (!requirePrerequisite(corpus)) return;
  for (const exp of EXPECTED) {
    it(`imports ${exp.file}`, () => {
      const path = join(corpus.dir, exp.file);
      const { plan, unique, rejections, warnings } = importFile(path, exp.file.split('/')[1]!);
      expect(describePlan(plan).length).toBeGreaterThan(2);
      expect(plan.family).toBe(exp.family);
      expect(rejections).toEqual([]);
      expect(unique.length).toBe(exp.rows);
      expect(new Date(unique[0]!).toISOString()).toBe(exp.first.replace('Z', '.000Z'));
      expect(new Date(unique.at(-1)!).toISOString()).toBe(exp.last.replace('Z', '.000Z'));
      if (exp.symbol) expect(plan.symbol).toBe(exp.symbol);
      if (exp.timeframe) expect(plan.timeframeMs).toBe(exp.timeframe);
      if (exp.kind) expect(plan.kind).toBe(exp.kind);
      expect(plan.venue).toBe(exp.venue ?? null);
      expect(warnings.filter((w) => /rejected/.test(w))).toEqual([]);
    });
  }
});
