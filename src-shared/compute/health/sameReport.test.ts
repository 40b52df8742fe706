import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DurationMs, EpochMs } from '../../domain/units.js';
import type { OhlcvColumns } from '../rollup/columns.js';
import { generateMarket } from '../generator/index.js';
import { marketCorpus } from '../../../test-support/fixtures.js';
import { requirePrerequisite } from '../../../test-support/vitest.js';
import { loadMarketFile } from './__fixtures__/marketFiles.js';
import { healthReport, type HealthContext, type HealthOptions } from './healthReport.js';

/**
 * The health report is computed faster than it was (linear selections, fewer logarithms), but must
 * stay the same report: `__fixtures__/sameReport.golden.json` holds what the version before that
 * change (commit ecbd746) returned for generated series, adversarial variants of them (flat runs
 * that zero the MAD, bad ticks, gaps, zero and missing volume, invalid bars, thin edge bars) and
 * every file of the real corpus: the whole summary, and a hash of every candle's flag and reasons.
 * `CANDELA_RECORD_HEALTH_GOLDEN=1` rewrites the file; do that only with the old code checked out.
 */
const GOLDEN = new URL('./__fixtures__/sameReport.golden.json', import.meta.url);
const RECORD = process.env.CANDELA_RECORD_HEALTH_GOLDEN === '1';
const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 1) as EpochMs;

interface Digest {
  summary: unknown;
  flagged: number;
  hash: number;
}

/** FNV-1a over every candle's reason bits and flag, so one changed candle changes the hash. */
function digest(report: ReturnType<typeof healthReport>): Digest {
  let hash = 0x811c9dc5;
  let flagged = 0;
  for (let i = 0; i < report.reasons.length; i++) {
    const word = report.reasons[i]! | (report.flags[i]! << 16);
    if (word !== 0) flagged++;
    for (let b = 0; b < 3; b++) hash = Math.imul(hash ^ ((word >>> (8 * b)) & 0xff), 0x01000193) >>> 0;
  }
  return { summary: JSON.parse(JSON.stringify(report.summary)) as unknown, flagged, hash };
}

function copy(c: OhlcvColumns): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  return { ts: c.ts.slice(), open: c.open.slice(), high: c.high.slice(), low: c.low.slice(), close: c.close.slice(), volume: c.volume.slice() };
}

function keep(c: OhlcvColumns, pred: (i: number) => boolean): OhlcvColumns {
  const rows = Array.from({ length: c.ts.length }, (_, i) => i).filter(pred);
  const pick = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]!);
  return { ts: pick(c.ts), open: pick(c.open), high: pick(c.high), low: pick(c.low), close: pick(c.close), volume: pick(c.volume) };
}

/** Generated series and variants built to reach every branch of the spike and scale rules. */
function generatedCases(): { name: string; cols: OhlcvColumns; tf: number; options?: HealthOptions }[] {
  const gen = (bars: number, tfMs: number, seed: number) => generateMarket({ symbols: 1, bars, timeframeMs: tfMs as DurationMs, startMs: Date.UTC(2021, 0, 4) as EpochMs, seed, signal: 0 })[0]!;
  const base = gen(120_000, MIN, 7);
  const cases: { name: string; cols: OhlcvColumns; tf: number; options?: HealthOptions }[] = [
    { name: 'generated 1m', cols: base, tf: MIN },
    { name: 'generated 5m, seed 3', cols: gen(40_000, 5 * MIN, 3), tf: 5 * MIN, options: { symbol: 'EURUSD' } },
    { name: 'generated 1h, k 4', cols: gen(20_000, 60 * MIN, 5), tf: 60 * MIN, options: { spikeThreshold: 4 } },
    { name: 'tiny: 0 rows', cols: keep(base, () => false), tf: MIN },
    { name: 'tiny: 1 row', cols: keep(base, (i) => i === 0), tf: MIN },
    { name: 'tiny: 15 rows', cols: keep(base, (i) => i < 15), tf: MIN },
    { name: 'tiny: 300 rows', cols: keep(base, (i) => i < 300), tf: MIN },
  ];
  // Flat runs: over half of some blocks' returns are 0, so their MAD is 0 and the mean-absolute fallback decides.
  const flat = copy(base);
  for (let i = 1; i < flat.ts.length; i++) {
    if (i % 1024 < 700 || i % 7 === 0) {
      const p = flat.close[i - 1]!;
      flat.open[i] = flat.high[i] = flat.low[i] = flat.close[i] = p;
    }
  }
  cases.push({ name: 'flat runs', cols: flat, tf: MIN });
  // Mostly flat everywhere: the whole series' MAD is 0 too.
  const stale = copy(base);
  for (let i = 1; i < stale.ts.length; i++) {
    if (i % 10 !== 0) {
      const p = stale.close[i - 1]!;
      stale.open[i] = stale.high[i] = stale.low[i] = stale.close[i] = p;
    }
  }
  cases.push({ name: 'mostly flat', cols: stale, tf: MIN });
  // Bad ticks, wicks, invalid and volume oddities, gaps, a thin first and last bar.
  const odd = copy(base);
  for (let i = 500; i < odd.ts.length - 2; i += 4_999) {
    odd.close[i] = odd.close[i]! * 1.08;
    odd.high[i] = Math.max(odd.high[i]!, odd.close[i]!);
  }
  for (let i = 777; i < odd.ts.length; i += 6_007) odd.high[i] = odd.high[i]! * 1.05;
  for (let i = 901; i < odd.ts.length; i += 7_001) odd.low[i] = odd.low[i]! / 1.05;
  for (let i = 1_234; i < odd.ts.length; i += 9_973) odd.close[i] = -1;
  for (let i = 50; i < odd.ts.length; i += 3_331) odd.volume[i] = 0;
  for (let i = 60; i < odd.ts.length; i += 4_441) odd.volume[i] = NaN;
  odd.volume[0] = odd.volume[0]! * 0.001;
  odd.volume[odd.ts.length - 1] = 0;
  cases.push({ name: 'odd bars', cols: odd, tf: MIN, options: { nowMs: NOW } });
  cases.push({ name: 'odd bars with gaps', cols: keep(odd, (i) => i % 997 > 3 && i % 12_345 > 40), tf: MIN });
  // Zero volume on most bars: the median volume is 0, so no bar is thin.
  const dry = copy(base);
  for (let i = 0; i < dry.ts.length; i++) if (i % 3 !== 0) dry.volume[i] = 0;
  cases.push({ name: 'mostly zero volume', cols: dry, tf: MIN });
  return cases;
}

/** The report of a whole series, and of the same series in pages of 50,000 as a long import walks it. */
function reports(cols: OhlcvColumns, tf: number, options: HealthOptions = {}): Digest[] {
  const out = [digest(healthReport(cols, tf as DurationMs, options))];
  let carry: HealthContext | undefined;
  for (let from = 0; from < cols.ts.length && cols.ts.length > 50_000; from += 50_000) {
    const start = Math.max(0, from - 1);
    const to = Math.min(cols.ts.length, from + 50_000);
    const slice = (a: Float64Array) => a.subarray(start, to);
    const page = { ts: slice(cols.ts), open: slice(cols.open), high: slice(cols.high), low: slice(cols.low), close: slice(cols.close), volume: slice(cols.volume) };
    const report = healthReport(page, tf as DurationMs, { ...options, carry });
    out.push(digest(report));
    carry = report.context;
  }
  return out;
}

const CORPUS_FILES = [
  'yahoo/nvda-1999-2014.txt',
  'metatrader4/EURUSD60.csv',
  'tradingview/BINANCE_SOLUSDT, 15.csv',
  'binance-spot/BTCUSDT-1h-2024-12.csv',
  'cryptodatadownload/BTCUSDT_Binance_futures_data_day.csv',
  'binance-futures/LINKUSDT-1m-2023-02.csv',
  'cryptodatadownload-legacy/Binance_BTCUSDT_d.csv',
  'freqtrade/ETH_BTC-5m.json',
];

describe('the health report is the report it was before it was made faster', () => {
  const golden: Record<string, Digest[]> = existsSync(GOLDEN) ? (JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Digest[]>) : {};
  const recorded: Record<string, Digest[]> = {};

  it('on generated series and their adversarial variants', () => {
    for (const c of generatedCases()) {
      const got = reports(c.cols, c.tf, c.options);
      if (RECORD) recorded[c.name] = got;
      else expect(got, c.name).toEqual(golden[c.name]);
    }
  });

  const corpus = marketCorpus();
  if (!requirePrerequisite(corpus)) return;
  it('on every file of the real corpus', () => {
    for (const rel of CORPUS_FILES) {
      const { plan, columns, timeframeMs } = loadMarketFile(corpus.dir, rel);
      const got = reports(columns, timeframeMs, { symbol: plan.symbol ?? undefined, nowMs: NOW });
      if (RECORD) recorded[rel] = got;
      else expect(got, rel).toEqual(golden[rel]);
    }
    if (RECORD) writeFileSync(GOLDEN, JSON.stringify(recorded, null, 1) + '\n');
  });
});
