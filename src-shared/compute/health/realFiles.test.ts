import { describe, expect, it } from 'vitest';
import type { DurationMs } from '../../domain/units.js';
import type { OhlcvColumns } from '../rollup/columns.js';
import { marketCorpus } from '../../../test-support/fixtures.js';
import { requirePrerequisite } from '../../../test-support/vitest.js';
import { loadMarketFile } from './__fixtures__/marketFiles.js';
import { closedDays, dayNumber, isoDay, nyseHolidays } from './calendars.js';
import { describeHealth } from './describeHealth.js';
import { BAD_CATEGORIES, HEALTH_REASON, SUSPECT_CATEGORIES, healthReport, type HealthContext, type HealthSummary } from './healthReport.js';
import { mergeHealthParts } from './mergeHealth.js';

/**
 * The health report on real exports from ../shared/fixtures/market (see its README): a stock with
 * US holidays, a forex file in a broker's clock, a crypto file with a few large moves.
 */
const corpus = marketCorpus();
const DAY = 86_400_000;

function load(rel: string) {
  const { plan, columns, timeframeMs } = loadMarketFile(corpus.dir, rel);
  return { columns, tf: timeframeMs as DurationMs, symbol: plan.symbol ?? undefined };
}

/** What every summary must satisfy: breakdowns that add up, a verdict that follows the counts. */
function expectSelfConsistent(s: HealthSummary): void {
  expect(SUSPECT_CATEGORIES.reduce((sum, c) => sum + s.suspectByReason[c], 0)).toBe(s.suspectBars);
  expect(BAD_CATEGORIES.reduce((sum, c) => sum + s.badByReason[c], 0)).toBe(s.badBars);
  const nothingFound = s.missingBars === 0 && s.suspectBars === 0 && s.badBars === 0;
  expect(s.verdict === 'clean').toBe(nothingFound);
  expect(s.score === 100).toBe(nothingFound);
  const d = describeHealth(s);
  const parts = (total: string) => {
    const at = d.lines.findIndex((l) => l.key === total);
    let sum = 0;
    for (let i = at + 1; i < d.lines.length && d.lines[i]!.part; i++) sum += Number(d.lines[i]!.value.replace(/,/g, ''));
    return sum;
  };
  expect(parts('suspectBars')).toBe(s.suspectBars);
  expect(parts('badBars')).toBe(s.badBars);
  for (const l of d.lines) {
    expect(l.explanation.length, l.key).toBeGreaterThan(5);
    expect(`${l.value} ${l.explanation}`, l.key).not.toMatch(/\b1 [a-z]+s\b/);
  }
}

/** Pages of `size` candles overlapping by one, as the importer walks a long dataset. */
function inPages(c: OhlcvColumns, tf: DurationMs, size: number, symbol?: string) {
  const parts = [];
  let carry: HealthContext | undefined;
  for (let from = 0; from < c.ts.length; from += size) {
    const start = Math.max(0, from - 1);
    const to = Math.min(c.ts.length, from + size);
    const slice = (a: Float64Array) => a.subarray(start, to);
    const page = { ts: slice(c.ts), open: slice(c.open), high: slice(c.high), low: slice(c.low), close: slice(c.close), volume: slice(c.volume) };
    const report = healthReport(page, tf, { symbol, carry });
    parts.push({ report, overlapsPrevious: from > 0 });
    carry = report.context;
  }
  return mergeHealthParts(parts).summary;
}

describe('health of real files', () => {
  if (!requirePrerequisite(corpus)) return;
  it('NVDA daily 1999–2014: every NYSE holiday is a closure, none a gap', () => {
    const { columns, tf, symbol } = load('yahoo/nvda-1999-2014.txt');
    const { summary: s, reasons } = healthReport(columns, tf, { symbol });
    expect(s.calendar).toBe('nyse');
    expect(s.calendarSource).toBe('data');
    expect(s.missingBars).toBe(0);
    expect(s.gapCount).toBe(0);
    expect(s.largestGaps).toEqual([]);

    // Each NYSE closure inside the span has no bar and is counted as a holiday closure.
    const first = Math.floor(columns.ts[0]! / DAY);
    const last = Math.floor(columns.ts[columns.ts.length - 1]! / DAY);
    const traded = new Set(Array.from(columns.ts, (t) => Math.floor(t / DAY)));
    const inSpan = [...closedDays(nyseHolidays, 1999, 2014)].filter((d) => d > first && d < last);
    expect(inSpan.filter((d) => traded.has(d)).map(isoDay)).toEqual([]);
    expect(s.closures.holidays).toBe(inSpan.length);
    expect(s.closures.weekends).toBeGreaterThan(800);

    // The candles right after the named closures carry no "gap before".
    const after = ['2001-09-17', '2012-10-31', '2007-01-03', '2004-06-14', '1999-11-26', '2008-11-28', '2014-11-28'];
    for (const iso of after) {
      const i = columns.ts.indexOf(Date.parse(`${iso}T00:00:00Z`));
      expect(i, iso).toBeGreaterThan(0);
      expect(reasons[i]! & HEALTH_REASON.gapBefore, iso).toBe(0);
    }
    expect(traded.has(dayNumber(2001, 9, 10))).toBe(true);
    expect(s.suspectByReason.spike).toBe(s.suspectBars);
    expectSelfConsistent(s);
    // Page by page, the last page of 12 rows (too short to learn sessions from) judged by the
    // page before it: the same closures and no gaps.
    const paged = inPages(columns, tf, 1_000, symbol);
    expect(paged.closures).toEqual(s.closures);
    expect(paged.missingBars).toBe(0);
  });

  it('EURUSD hourly: weekends are closures and the suspect candles are all explained', () => {
    const { columns, tf, symbol } = load('metatrader4/EURUSD60.csv');
    for (const sym of [symbol, undefined]) {
      const { summary: s } = healthReport(columns, tf, { symbol: sym });
      expect(s.calendar).toBe('fx');
      expect(s.calendarSource).toBe(sym === undefined ? 'data' : 'symbol');
      expect(s.gapCount).toBe(0);
      expect(s.closures.weekends).toBe(31); // 2019-02-15 … 2019-09-20
      // The broker opens the bars after its daily rollover at :05.
      expect(s.suspectByReason.offGrid).toBe(450);
      expect(s.offGridTimes.map((t) => t.time).sort()).toEqual(['21:05', '22:05', '23:05']);
      expect(s.suspectByReason.spike).toBe(15);
      expect(s.suspectBars).toBe(465);
      expectSelfConsistent(s);
      const text = describeHealth(s).lines.map((l) => `${l.label} ${l.value} ${l.explanation}`).join('\n');
      expect(text).toContain('Off the bar grid 450');
      expect(text).toContain('31 weekends');
    }
  });

  it('SOLUSDT 15m: 21 spikes make the verdict suspect, not clean', () => {
    const { columns, tf, symbol } = load('tradingview/BINANCE_SOLUSDT, 15.csv');
    const { summary: s } = healthReport(columns, tf, { symbol });
    expect(s.calendar).toBe('continuous');
    expect(s.missingBars).toBe(0);
    expect(s.suspectBars).toBe(21);
    expect(s.suspectByReason.spike).toBe(21);
    expect(s.score).toBe(99);
    expect(s.verdict).toBe('suspect');
    expectSelfConsistent(s);
    // Merged page by page (how the importer walks a long dataset) it must agree with itself too.
    expectSelfConsistent(inPages(columns, tf, 5_000, symbol));
  });
});
