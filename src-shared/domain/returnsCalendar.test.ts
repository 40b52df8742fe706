import { describe, expect, it } from 'vitest';
import { returnsCalendar } from './returnsCalendar.js';

const DAY = 86_400_000;
const utc = (s: string) => Date.parse(`${s}Z`);

describe('returnsCalendar', () => {
  it('cuts a test of three months or more into integer years and only the months it touches', () => {
    // 2024-10-01 to 2025-03-31, one bar a day, equity up 1 % a day in 2024 and flat in 2025.
    const ts: number[] = [];
    const equity: number[] = [];
    let e = 1;
    for (let t = utc('2024-10-01T00:00:00'); t <= utc('2025-03-31T00:00:00'); t += DAY) {
      ts.push(t);
      if (new Date(t).getUTCFullYear() === 2024 && t > ts[0]!) e *= 1.01;
      equity.push(e);
    }
    const c = returnsCalendar(ts, equity);
    expect(c.granularity).toBe('month');
    expect(c.rows).toEqual(['2024', '2025']);
    expect(c.columns).toEqual(['Jan', 'Feb', 'Mar', 'Oct', 'Nov', 'Dec']);
    // October: 30 compounding days after its first bar; November from October's last bar: 30 days.
    expect(c.cells[0]![3]).toBeCloseTo(1.01 ** 30 - 1, 12);
    expect(c.cells[0]![4]).toBeCloseTo(1.01 ** 30 - 1, 12);
    expect(c.cells[0]![0]).toBeNull();
    expect(c.cells[1]![0]).toBeCloseTo(0, 12);
    expect(c.cells[1]![3]).toBeNull();
  });

  it('draws a test shorter than three months as weeks × weekdays of daily returns', () => {
    // Ten days of 5-minute bars from Wednesday 2025-01-08: +0.1 % per bar on the first day only.
    const ts: number[] = [];
    const equity: number[] = [];
    let e = 100;
    for (let t = utc('2025-01-08T00:00:00'); t < utc('2025-01-18T00:00:00'); t += 300_000) {
      if (ts.length > 0 && t < utc('2025-01-09T00:00:00')) e *= 1.001;
      ts.push(t);
      equity.push(e);
    }
    const c = returnsCalendar(ts, equity);
    expect(c.granularity).toBe('day');
    expect(c.columns).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(c.rows).toEqual(['2025-01-06', '2025-01-13']);
    expect(c.cells[0]!.slice(0, 2)).toEqual([null, null]);
    // 288 bars on the first day, the first of them the starting point.
    expect(c.cells[0]![2]).toBeCloseTo(1.001 ** 287 - 1, 12);
    expect(c.cells[0]![3]).toBeCloseTo(0, 12);
    expect(c.cells[1]![4]).toBeCloseTo(0, 12);
    expect(c.cells[1]![5]).toBeNull();
    // Every day's return compounds to the whole test's.
    const total = c.cells.flat().reduce((p: number, r) => p * (1 + (r ?? 0)), 1) - 1;
    expect(total).toBeCloseTo(equity[equity.length - 1]! / equity[0]! - 1, 12);
  });

  it('starts from the equity before the first bar when given, so the cells compound to the total return', () => {
    const ts = [utc('2025-01-06T00:00:00'), utc('2025-01-06T12:00:00'), utc('2025-01-07T00:00:00')];
    // Initial equity 1; the first bar already paid a fee (0.999), then +1 % on the next day.
    const c = returnsCalendar(ts, [0.999, 0.999, 0.999 * 1.01], 1);
    expect(c.cells[0]![0]).toBeCloseTo(-0.001, 12);
    expect(c.cells[0]![1]).toBeCloseTo(0.01, 12);
    expect((1 + c.cells[0]![0]!) * (1 + c.cells[0]![1]!) - 1).toBeCloseTo(0.999 * 1.01 - 1, 12);
  });

  it('is empty without bars', () => {
    expect(returnsCalendar([], [])).toEqual({ granularity: 'day', rows: [], columns: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], cells: [] });
  });
});
