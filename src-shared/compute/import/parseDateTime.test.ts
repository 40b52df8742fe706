import { describe, expect, it } from 'vitest';
import { epochToMs, newDateProbe, parseDateTime, parseTimeOfDay } from './parseDateTime.js';

const ms = (iso: string): number => Date.parse(iso);
const p = (s: string, dayFirst = false): number => parseDateTime(s, 0, s.length, dayFirst);

describe('epochToMs: unit per value by magnitude', () => {
  it('reads s, ms, µs and ns of the same instant alike', () => {
    const t = ms('2025-01-01T00:00:00Z');
    expect(epochToMs(t / 1000)).toBe(t);
    expect(epochToMs(t)).toBe(t);
    expect(epochToMs(t * 1000)).toBe(t);
    expect(epochToMs(t * 1e6)).toBe(t);
    expect(epochToMs(1599436800.0)).toBe(ms('2020-09-07T00:00:00Z'));
    expect(epochToMs(1599436800.5)).toBe(ms('2020-09-07T00:00:00.500Z'));
  });
  it('picks the unit for each value, so a file mixing ms and s rows parses both', () => {
    expect(p('1609286400000')).toBe(p('1609286400'));
    expect(p('1735689600000000')).toBe(ms('2025-01-01T00:00:00Z'));
  });
});

describe('parseDateTime', () => {
  const cases: [string, string, boolean?][] = [
    ['2024-12-01T03:00:00+03:00', '2024-12-01T00:00:00Z'],
    ['2024-12-01T03:00:00-0130', '2024-12-01T04:30:00Z'],
    ['2024-12-01T03:00:00Z', '2024-12-01T03:00:00Z'],
    ['2024-12-01 03:00:00 UTC', '2024-12-01T03:00:00Z'],
    ['2024-12-01 03:00', '2024-12-01T03:00:00Z'],
    ['2020-12-30 00:00:00', '2020-12-30T00:00:00Z'],
    ['2021-03-04 05:06:07.123456', '2021-03-04T05:06:07.123Z'],
    ['2021-03-04 05:06:07.5', '2021-03-04T05:06:07.500Z'],
    ['2019.02.15', '2019-02-15T00:00:00Z'],
    ['2019/02/15 14:00', '2019-02-15T14:00:00Z'],
    ['20190215', '2019-02-15T00:00:00Z'],
    ['20190215 140000', '2019-02-15T14:00:00Z'],
    ['2020-09-07 11-PM', '2020-09-07T23:00:00Z'],
    ['2020-09-07 12-AM', '2020-09-07T00:00:00Z'],
    ['2020-09-07 12-PM', '2020-09-07T12:00:00Z'],
    ['9/7/2020 11:00:00 PM', '2020-09-07T23:00:00Z'],
    ['9/7/2020 11 AM', '2020-09-07T11:00:00Z'],
    ['15.02.2019 14:00', '2019-02-15T14:00:00Z'],
    ['15-Feb-2019', '2019-02-15T00:00:00Z'],
    ['Feb 15, 2019', '2019-02-15T00:00:00Z'],
    ['15 February 2019', '2019-02-15T00:00:00Z'],
    ['02/15/19', '2019-02-15T00:00:00Z'],
    ['1999-01-22', '1999-01-22T00:00:00Z'],
    ['2024-02-29', '2024-02-29T00:00:00Z'],
    ['  2024-02-29  ', '2024-02-29T00:00:00Z'],
  ];
  for (const [text, iso] of cases) {
    it(`reads ${text}`, () => expect(p(text)).toBe(ms(iso)));
  }

  it('uses dayFirst only when both fields could be the month', () => {
    expect(p('01.02.2019', true)).toBe(ms('2019-02-01T00:00:00Z'));
    expect(p('01.02.2019', false)).toBe(ms('2019-01-02T00:00:00Z'));
    expect(p('13.02.2019', false)).toBe(ms('2019-02-13T00:00:00Z'));
    expect(p('02/13/2019', true)).toBe(ms('2019-02-13T00:00:00Z'));
  });

  it('rejects impossible and malformed values', () => {
    for (const s of ['2023-02-29', '2019-13-01', '2019-00-10', '2019-01-32', '2019-01-01 25:00', '2019-01-01 10:61', 'yesterday', '', '12345', '1.5', '2019-01-01 10:00 junk', '2019-01-01T', '13-PM 2019', '2019-01-01 13-PM']) {
      expect(p(s), s).toBeNaN();
    }
  });

  it('reports what it saw through a probe', () => {
    const probe = newDateProbe();
    p('2024-12-01T03:00:00+03:00');
    parseDateTime('2024-12-01T03:00:00+03:00', 0, 25, false, probe);
    expect(probe).toMatchObject({ yearFirst: true, hasTime: true, hasZone: true, epoch: false });
    const p2 = newDateProbe();
    parseDateTime('07.09.2020', 0, 10, true, p2);
    expect(p2).toMatchObject({ yearFirst: false, first: 7, second: 9, hasTime: false });
  });
});

describe('parseTimeOfDay', () => {
  it('reads the clock formats of separate time columns', () => {
    expect(parseTimeOfDay('14:00', 0, 5)).toBe(14 * 3_600_000);
    expect(parseTimeOfDay('14:00:30', 0, 8)).toBe(14 * 3_600_000 + 30_000);
    expect(parseTimeOfDay('140000', 0, 6)).toBe(14 * 3_600_000);
    expect(parseTimeOfDay('0930', 0, 4)).toBe(9.5 * 3_600_000);
    expect(parseTimeOfDay('2:00 PM', 0, 7)).toBe(14 * 3_600_000);
    expect(parseTimeOfDay('24:00', 0, 5)).toBe(24 * 3_600_000);
  });
  it('rejects what is not a time of day', () => {
    for (const s of ['14', '25:00', '14:0', '9915', '1.12', 'x']) expect(parseTimeOfDay(s, 0, s.length), s).toBeNaN();
  });
});
