import { describe, expect, it } from 'vitest';
import { durationMs, epochMs } from '../../domain/units.js';
import { generateMarket } from '../generator/generateMarket.js';
import type { OhlcvColumns } from '../rollup/columns.js';
import { HEALTH_FLAG, HEALTH_REASON, healthReasonNames, healthReport, scoreHealth } from './healthReport.js';
import { medianInPlace, robustSigmaInPlace } from './robustScale.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function market(bars: number, timeframeMs: number, startMs: number, seed = 11): OhlcvColumns {
  const [s] = generateMarket({ symbols: ['ETH/USDT'], bars, timeframeMs: durationMs(timeframeMs), startMs: epochMs(startMs), seed, signal: 0 });
  const { ts, open, high, low, close, volume } = s!;
  return { ts, open, high, low, close, volume };
}

/** Copies a series keeping the candles for which `keep(ts, i)` holds. */
function filter(c: OhlcvColumns, keep: (ts: number, i: number) => boolean): OhlcvColumns {
  const idx: number[] = [];
  for (let i = 0; i < c.ts.length; i++) if (keep(c.ts[i]!, i)) idx.push(i);
  const pick = (a: Float64Array): Float64Array => Float64Array.from(idx, (i) => a[i]!);
  return { ts: pick(c.ts), open: pick(c.open), high: pick(c.high), low: pick(c.low), close: pick(c.close), volume: pick(c.volume) };
}

function copy(c: OhlcvColumns): OhlcvColumns {
  return filter(c, () => true);
}

const isWeekend = (ts: number): boolean => [0, 6].includes(new Date(ts).getUTCDay());

describe('healthReport on 24/7 data', () => {
  const clean = market(20_000, 5 * MIN, Date.UTC(2024, 0, 1));

  it('flags nothing bad in a generated series, and calls its one 8σ move suspect rather than clean', () => {
    const { summary, flags } = healthReport(clean, durationMs(5 * MIN));
    expect(summary.rows).toBe(20_000);
    expect(summary.missingBars).toBe(0);
    expect(summary.sessionsDetected).toBe(false);
    expect(summary.calendar).toBe('continuous');
    expect(summary.badBars).toBe(0);
    // The generator's regime switch makes one move beyond 8 σ: a candle worth a look, so the
    // verdict cannot be clean, and a score that would round to 100 is 99.
    expect(summary.suspectBars).toBe(1);
    expect(summary.suspectByReason.spike).toBe(1);
    expect(summary.score).toBe(99);
    expect(summary.verdict).toBe('suspect');
    expect(flags.length).toBe(20_000);
  });

  it('counts an inserted gap and lists it', () => {
    const gapped = filter(clean, (_, i) => i < 5_000 || i >= 5_100);
    const { summary, flags, reasons } = healthReport(gapped, durationMs(5 * MIN));
    expect(summary.missingBars).toBe(100);
    expect(summary.expectedRows).toBe(20_000);
    expect(summary.gapCount).toBe(1);
    expect(summary.largestGaps).toEqual([{ fromTs: clean.ts[4_999], toTs: clean.ts[5_100], missingBars: 100 }]);
    expect(flags[5_000]).toBe(HEALTH_FLAG.suspect);
    expect(healthReasonNames(reasons[5_000]!)).toEqual(['gapBefore']);
    expect(summary.score).toBe(99); // 100 − 200 · 100/20 000
  });

  it('keeps the ten largest gaps, largest first', () => {
    const sizes = [3, 30, 1, 12, 7, 25, 2, 9, 40, 5, 18, 4];
    const dropped = new Set<number>();
    sizes.forEach((size, g) => {
      for (let j = 0; j < size; j++) dropped.add(1_000 * (g + 1) + j);
    });
    const { summary } = healthReport(filter(clean, (_, i) => !dropped.has(i)), durationMs(5 * MIN));
    expect(summary.gapCount).toBe(12);
    expect(summary.largestGaps.map((g) => g.missingBars)).toEqual([40, 30, 25, 18, 12, 9, 7, 5, 4, 3]);
  });

  it('marks a reverted spike as a bad tick and a lasting jump as a spike', () => {
    const c = copy(clean);
    c.close[8_000] = c.close[8_000]! * 1.25;
    c.high[8_000] = Math.max(c.high[8_000]!, c.close[8_000]!);
    const { summary, flags, reasons } = healthReport(c, durationMs(5 * MIN));
    expect(summary.badTicks).toBe(1);
    expect(flags[8_000]).toBe(HEALTH_FLAG.bad);
    expect(reasons[8_000]! & HEALTH_REASON.spike).toBeTruthy();
    expect(summary.verdict).toBe('suspect');

    const shifted = copy(clean);
    for (let i = 12_000; i < shifted.ts.length; i++) {
      for (const key of ['open', 'high', 'low', 'close'] as const) shifted[key][i] = shifted[key][i]! * (i === 12_000 && key === 'open' ? 1 : 1.25);
    }
    shifted.low[12_000] = Math.min(shifted.low[12_000]!, shifted.open[12_000]!);
    const lasting = healthReport(shifted, durationMs(5 * MIN));
    expect(lasting.flags[12_000]).toBe(HEALTH_FLAG.suspect);
    expect(lasting.reasons[12_000]! & HEALTH_REASON.spike).toBeTruthy();
    expect(lasting.summary.badTicks).toBe(0);
  });

  it('flags zero volume, NaN volume, flat bars and invalid candles', () => {
    const c = copy(clean);
    for (let i = 100; i < 110; i++) c.volume[i] = 0;
    c.volume[200] = NaN;
    c.open[300] = c.high[300] = c.low[300] = c.close[300] = c.close[299]!;
    c.high[400] = Math.min(c.open[400]!, c.close[400]!) * 0.999;
    const { summary, flags, reasons } = healthReport(c, durationMs(5 * MIN));
    expect(summary.zeroVolumeBars).toBe(10);
    expect(summary.missingVolumeBars).toBe(1);
    expect(summary.flatBars).toBe(1);
    expect(summary.invalidBars).toBe(1);
    expect(flags[105]).toBe(HEALTH_FLAG.suspect);
    expect(reasons[105]).toBe(HEALTH_REASON.zeroVolume);
    expect(flags[200]).toBe(HEALTH_FLAG.suspect);
    expect(flags[400]).toBe(HEALTH_FLAG.bad);
    expect(flags[50]).toBe(HEALTH_FLAG.clean);
  });

  it('scores heavily broken data as bad', () => {
    const c = copy(clean);
    for (let i = 0; i < c.ts.length; i += 50) c.low[i] = c.high[i]! * 1.01; // 2 % invalid
    const { summary } = healthReport(c, durationMs(5 * MIN));
    expect(summary.score).toBeLessThan(65);
    expect(summary.verdict).toBe('bad');
  });

  it('does not mistake scattered random gaps in a 24/7 market for sessions', () => {
    const hourly = market(24 * 7 * 6, HOUR, Date.UTC(2024, 0, 1));
    let s = 5;
    const gappy = filter(hourly, () => ((s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296) > 0.3);
    const { summary } = healthReport(gappy, durationMs(HOUR));
    expect(summary.sessionsDetected).toBe(false);
    expect(summary.missingBars).toBe(hourly.ts.length - gappy.ts.length - countOutside(hourly, gappy));
  });

  it('notices a first bar off the grid and a last bar whose period has not ended', () => {
    const c = copy(clean);
    c.ts[0] = c.ts[0]! + 2 * MIN;
    const nowMs = epochMs(c.ts[c.ts.length - 1]! + 3 * MIN);
    const { summary, reasons } = healthReport(c, durationMs(5 * MIN), { nowMs });
    expect(summary.incompleteFirst).toBe(true);
    expect(summary.incompleteLast).toBe(true);
    expect(reasons[0]! & HEALTH_REASON.incomplete).toBeTruthy();
    const plain = healthReport(clean, durationMs(5 * MIN), { nowMs: epochMs(clean.ts[clean.ts.length - 1]! + 5 * MIN) }).summary;
    expect(plain.incompleteFirst).toBe(false);
    expect(plain.incompleteLast).toBe(false);
  });

  it('has a JSON-serialisable summary and handles an empty series', () => {
    const { summary } = healthReport(filter(clean, (_, i) => i < 3_000 || i > 3_010), durationMs(5 * MIN));
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    const empty = healthReport(filter(clean, () => false), durationMs(5 * MIN));
    expect(empty.summary.rows).toBe(0);
    expect(empty.summary.verdict).toBe('bad');
  });

  // Its time is part of every import's, which the import benchmark reports (import.rowsPerSec).
  it('checks a million gapless generated candles and finds no gap or bad bar', () => {
    const big = market(1_000_000, MIN, Date.UTC(2022, 0, 1), 2);
    const { summary } = healthReport(big, durationMs(MIN));
    expect(summary).toMatchObject({ rows: 1_000_000, expectedRows: 1_000_000, missingBars: 0, gapCount: 0, badBars: 0, calendar: 'continuous' });
  });
});

/** Bars of `full` dropped before the first or after the last kept candle: unknowable as missing. */
function countOutside(full: OhlcvColumns, kept: OhlcvColumns): number {
  const first = kept.ts[0]!;
  const last = kept.ts[kept.ts.length - 1]!;
  let n = 0;
  for (const t of full.ts) if (t < first || t > last) n++;
  return n;
}

describe('healthReport on markets with sessions', () => {
  it('does not punish a weekday-only daily stock series for its weekends', () => {
    const stock = filter(market(730, DAY, Date.UTC(2022, 0, 3)), (t) => !isWeekend(t));
    const { summary } = healthReport(stock, durationMs(DAY));
    expect(summary.sessionsDetected).toBe(true);
    expect(summary.weekendGapsExpected).toBe(true);
    expect(summary.missingBars).toBe(0);
    expect(summary.activeFraction).toBeCloseTo(5 / 7, 10);
    expect(summary.score).toBe(100);
    expect(summary.verdict).toBe('clean');

    // The same series judged as 24/7 loses its weekends: the check above is not vacuous.
    const asCrypto = healthReport(stock, durationMs(DAY), { sessions: 'none' }).summary;
    expect(asCrypto.missingBars).toBeGreaterThan(200);
    expect(asCrypto.score).toBeLessThan(70);

    // A weekday holiday is still a missing bar.
    const holiday = Date.UTC(2022, 6, 4);
    const withHoliday = healthReport(filter(stock, (t) => t !== holiday), durationMs(DAY)).summary;
    expect(withHoliday.missingBars).toBe(1);
    expect(withHoliday.largestGaps[0]!.fromTs).toBe(Date.UTC(2022, 6, 1));
  });

  it('learns forex hours (closed Friday 22:00 to Sunday 22:00 UTC) on hourly bars', () => {
    const open = (t: number): boolean => {
      const d = new Date(t);
      const day = d.getUTCDay();
      const h = d.getUTCHours();
      return !(day === 6 || (day === 5 && h >= 22) || (day === 0 && h < 22));
    };
    const fx = filter(market(24 * 7 * 8, HOUR, Date.UTC(2024, 0, 1)), open);
    const { summary } = healthReport(fx, durationMs(HOUR));
    expect(summary.sessionsDetected).toBe(true);
    expect(summary.weekendGapsExpected).toBe(true);
    expect(summary.missingBars).toBe(0);
    expect(summary.activeFraction).toBeCloseTo(120 / 168, 10);
  });

  it('learns intraday stock hours on 5-minute bars and still counts a bar missing in session', () => {
    const session = (t: number): boolean => {
      const d = new Date(t);
      const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
      return !isWeekend(t) && minutes >= 14 * 60 + 30 && minutes < 21 * 60;
    };
    const stock = filter(market(288 * 7 * 4, 5 * MIN, Date.UTC(2024, 0, 1)), session);
    const full = healthReport(stock, durationMs(5 * MIN)).summary;
    expect(full.sessionsDetected).toBe(true);
    expect(full.missingBars).toBe(0);
    const lost = Date.UTC(2024, 0, 10, 16, 0);
    const one = healthReport(filter(stock, (t) => t !== lost), durationMs(5 * MIN)).summary;
    expect(one.missingBars).toBe(1);
    expect(one.largestGaps[0]!.toTs).toBe(lost + 5 * MIN);
  });
});

describe('healthReport block by block', () => {
  it('judges a block too short to learn sessions from by the block before it', () => {
    const stock = filter(market(730, DAY, Date.UTC(2022, 0, 3)), (t) => !isWeekend(t));
    const n = stock.ts.length;
    const tail = filter(stock, (_, i) => i >= n - 11); // two weeks and a day, one weekend inside at least
    const head = healthReport(filter(stock, (_, i) => i < n - 10), durationMs(DAY));
    expect(healthReport(tail, durationMs(DAY)).summary.missingBars).toBeGreaterThan(0); // alone: 24/7
    const carried = healthReport(tail, durationMs(DAY), { carry: head.context }).summary;
    expect(carried.missingBars).toBe(0);
    expect(carried.calendar).toBe(head.summary.calendar);
    expect(carried.closures.weekends).toBeGreaterThan(0);
  });
});

describe('healthReport with the NYSE calendar', () => {
  it('counts intraday US holidays as closures once the data confirms the calendar, and a lost bar still as a gap', () => {
    const holidays = [Date.UTC(2024, 4, 27), Date.UTC(2024, 5, 19), Date.UTC(2024, 6, 4)]; // Memorial Day, Juneteenth, Independence Day
    const session = (t: number): boolean => {
      const d = new Date(t);
      const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
      return !isWeekend(t) && minutes >= 13 * 60 + 30 && minutes < 20 * 60 && !holidays.includes(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    };
    const stock = filter(market(288 * 7 * 10, 5 * MIN, Date.UTC(2024, 4, 6)), session);
    const { summary } = healthReport(stock, durationMs(5 * MIN));
    expect(summary.calendar).toBe('nyse');
    expect(summary.calendarSource).toBe('data');
    expect(summary.missingBars).toBe(0);
    expect(summary.closures.holidays).toBe(3);
    expect(summary.closures.weekends).toBe(9);
    expect(summary.closures.daily).toBe(35); // 47 sessions: 46 breaks, 9 over weekends, 2 over midweek holidays

    // Without the calendar the same holidays are gaps of a whole session each.
    const plain = healthReport(stock, durationMs(5 * MIN), { calendar: 'sessions' }).summary;
    expect(plain.missingBars).toBe(3 * 78);

    const lost = Date.UTC(2024, 5, 12, 15, 0);
    const one = healthReport(filter(stock, (t) => t !== lost), durationMs(5 * MIN)).summary;
    expect(one.missingBars).toBe(1);
  });
});

describe('scoreHealth', () => {
  it('is clean exactly when nothing was found, and then scores 100', () => {
    expect(scoreHealth(20_000, 0, 0, 0)).toEqual({ score: 100, verdict: 'clean' });
    expect(scoreHealth(20_000, 0, 0, 21)).toEqual({ score: 99, verdict: 'suspect' });
    expect(scoreHealth(20_000, 1, 0, 0)).toEqual({ score: 99, verdict: 'suspect' });
    expect(scoreHealth(20_000, 0, 1, 0)).toEqual({ score: 99, verdict: 'suspect' });
    expect(scoreHealth(20_000, 0, 201, 0).verdict).toBe('bad'); // over 1 % bad
    expect(scoreHealth(1_000, 1_000, 0, 0)).toEqual({ score: 60, verdict: 'suspect' }); // half the bars missing: −40
    expect(scoreHealth(0, 0, 0, 0)).toEqual({ score: 0, verdict: 'bad' });
  });
});

describe('robust scale', () => {
  it('matches a sort-based median and ignores outliers', () => {
    const values = Float64Array.from({ length: 1001 }, (_, i) => Math.sin(i * 12.9898) * 43_758.5453 % 1);
    const sorted = Array.from(values).sort((a, b) => a - b);
    expect(medianInPlace(values.slice())).toBe(sorted[500]);
    expect(medianInPlace(values.slice(0, 1000))).toBeCloseTo((Array.from(values.slice(0, 1000)).sort((a, b) => a - b)[499]! + Array.from(values.slice(0, 1000)).sort((a, b) => a - b)[500]!) / 2, 15);
    const withOutliers = values.slice();
    for (let i = 0; i < 20; i++) withOutliers[i * 50] = 1e6;
    const a = robustSigmaInPlace(values.slice());
    const b = robustSigmaInPlace(withOutliers);
    expect(Math.abs(b / a - 1)).toBeLessThan(0.1);
  });
});
