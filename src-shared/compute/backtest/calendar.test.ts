import { describe, expect, it } from 'vitest';
import { durationMs, fraction } from '../../domain/units.js';
import { annualizationCalendar, medianSpacing } from './calendar.js';
import { fixedFundingPerBar, fundingEventsToBars } from './funding.js';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2024, 0, 1);

describe('annualization calendar', () => {
  it('24/7 hourly bars: 365.25 × 24 periods', () => {
    const ts = Float64Array.from({ length: 1000 }, (_, i) => T0 + i * H);
    const c = annualizationCalendar(ts, 'auto');
    expect(c.calendar).toBe('24/7');
    expect(c.periodsPerYear).toBe(8766);
    // a few missing hours (an outage) do not make it a sessions market
    const gappy = Float64Array.from(ts.filter((_, i) => i % 100 !== 50));
    expect(annualizationCalendar(gappy, 'auto').calendar).toBe('24/7');
  });

  it('weekday daily bars: the data`s own calendar, (n − 1) / span in years', () => {
    const days: number[] = [];
    for (let t = Date.UTC(2023, 0, 2); t < Date.UTC(2025, 0, 1); t += D) {
      const wd = new Date(t).getUTCDay();
      if (wd !== 0 && wd !== 6) days.push(t);
    }
    const ts = Float64Array.from(days);
    const c = annualizationCalendar(ts, 'auto');
    expect(c.calendar).toBe('sessions');
    const years = (days[days.length - 1] - days[0]) / (365.25 * D);
    expect(c.periodsPerYear).toBeCloseTo((days.length - 1) / years, 12);
    expect(c.periodsPerYear).toBeGreaterThan(258);
    expect(c.periodsPerYear).toBeLessThan(263);
    // forced 24/7 would pretend there are 365.25 of them
    expect(annualizationCalendar(ts, '24/7').periodsPerYear).toBeCloseTo(365.25, 12);
  });

  it('median spacing ignores gaps', () => {
    expect(medianSpacing(Float64Array.of(0, 10, 20, 100, 110))).toBe(10);
    expect(medianSpacing(Float64Array.of(0, 10, 30))).toBe(15);
    expect(medianSpacing(Float64Array.of(0, 50, 60, 70, 200, 210))).toBe(10); // majority 10
    expect(medianSpacing(Float64Array.of(0, 1, 3, 6, 10))).toBe(2.5); // no majority: sorted 1,2,3,4
  });
});

describe('funding schedule', () => {
  it('hourly bars: one event every 8th bar, at 00, 08 and 16 UTC', () => {
    const ts = Float64Array.from({ length: 48 }, (_, i) => T0 + i * H);
    const f = fixedFundingPerBar(ts, fraction(0.0001), durationMs(H));
    const charged = Array.from(f.keys()).filter((i) => f[i] !== 0);
    expect(charged).toEqual([0, 8, 16, 24, 32, 40]);
    expect(f[8]).toBe(0.0001);
  });

  it('daily bars carry three events; a bar before a gap carries the gap`s events', () => {
    const daily = fixedFundingPerBar(Float64Array.of(T0, T0 + D, T0 + 2 * D), fraction(0.0001), durationMs(D));
    expect(Array.from(daily)).toEqual([0.0003, 0.0003, 0.0003].map((x) => expect.closeTo(x, 15)));
    const gap = fixedFundingPerBar(Float64Array.of(T0 + 7 * H, T0 + 25 * H), fraction(0.0001), durationMs(H));
    // [07:00, next day 01:00) holds 08:00, 16:00 and 00:00
    expect(gap[0]).toBeCloseTo(0.0003, 15);
    expect(gap[1]).toBe(0);
  });

  it('events from a funding column are summed into the bar that contains them', () => {
    const bars = Float64Array.of(T0, T0 + 4 * H, T0 + 8 * H, T0 + 12 * H);
    const f = fundingEventsToBars(bars, Float64Array.of(T0 - 8 * H, T0, T0 + 8 * H, T0 + 16 * H), Float64Array.of(9, 0.0001, -0.0002, Number.NaN));
    expect(Array.from(f)).toEqual([0.0001, 0, -0.0002, 0]);
  });
});
