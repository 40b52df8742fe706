import { describe, expect, it } from 'vitest';
import { closedDays, dayNumber, easterSunday, fxHolidays, isFxWeekendBreak, isoDay, nyseHolidays } from './calendars.js';
import { isFxPairSymbol } from './sessions.js';

const nyse = (year: number): string[] => nyseHolidays(year).map((h) => isoDay(h.day));

describe('NYSE calendar', () => {
  // Expected lists: the NYSE's published holiday calendars for these years.
  it('gives the published full-day closures, with Rule 7.2 observance', () => {
    // New Year's on a Sunday → Monday; Sandy.
    expect(nyse(2012)).toEqual(['2012-01-02', '2012-01-16', '2012-02-20', '2012-04-06', '2012-05-28', '2012-07-04', '2012-09-03', '2012-10-29', '2012-10-30', '2012-11-22', '2012-12-25']);
    // Independence Day on a Sunday → Monday; Christmas on a Saturday → Friday; New Year's 2022 on a
    // Saturday closes neither 2021-12-31 nor anything in 2022.
    expect(nyse(2021)).toEqual(['2021-01-01', '2021-01-18', '2021-02-15', '2021-04-02', '2021-05-31', '2021-07-05', '2021-09-06', '2021-11-25', '2021-12-24']);
    // Juneteenth's first year (on a Sunday → Monday); Christmas on a Sunday → Monday.
    expect(nyse(2022)).toEqual(['2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26']);
    // Reagan's funeral; Independence Day on a Sunday; Christmas on a Saturday.
    expect(nyse(2004)).toEqual(['2004-01-01', '2004-01-19', '2004-02-16', '2004-04-09', '2004-05-31', '2004-06-11', '2004-07-05', '2004-09-06', '2004-11-25', '2004-12-24']);
    // Independence Day on a Saturday → Friday.
    expect(nyse(2009)).toContain('2009-07-03');
    // Ford's funeral beside the New Year's Day holiday.
    expect(nyse(2007).slice(0, 2)).toEqual(['2007-01-01', '2007-01-02']);
    expect(nyse(2018)).toContain('2018-12-05');
    expect(nyse(2025)).toEqual(['2025-01-01', '2025-01-09', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25']);
    // Juneteenth on a Saturday → Friday.
    expect(nyse(2027)).toContain('2027-06-18');
  });

  it('closes on September 11–14, 2001, and not on Juneteenth before 2022 or MLK Day before 1998', () => {
    expect(nyse(2001)).toEqual(expect.arrayContaining(['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14']));
    expect(nyse(2021).some((d) => d.endsWith('-06-18') || d.endsWith('-06-19'))).toBe(false);
    expect(nyse(1997)).not.toContain('1997-01-20');
    expect(nyse(1998)).toContain('1998-01-19');
  });

  it('has no closure on a weekend and none on 1999-12-31 or 2010-12-31', () => {
    const days = closedDays(nyseHolidays, 1981, 2030);
    for (const d of days) expect([0, 6]).not.toContain(new Date(d * 86_400_000).getUTCDay());
    expect(days.has(dayNumber(1999, 12, 31))).toBe(false);
    expect(days.has(dayNumber(2010, 12, 31))).toBe(false);
  });

  it('has 8 or 9 scheduled closures a year in 1999–2014, as the exchange did', () => {
    for (let y = 1999; y <= 2014; y++) {
      const n = nyseHolidays(y).filter((h) => h.name !== 'Special closure').length;
      expect(n, String(y)).toBeGreaterThanOrEqual(8); // 8: New Year's on a Saturday (2005, 2011)
      expect(n, String(y)).toBeLessThanOrEqual(9);
    }
  });
});

describe('Easter computus', () => {
  it('gives known Good Fridays and the extreme Easter dates', () => {
    const goodFriday = (y: number) => isoDay(easterSunday(y) - 2);
    expect(goodFriday(1999)).toBe('1999-04-02');
    expect(goodFriday(2000)).toBe('2000-04-21');
    expect(goodFriday(2008)).toBe('2008-03-21');
    expect(goodFriday(2011)).toBe('2011-04-22');
    expect(goodFriday(2019)).toBe('2019-04-19');
    expect(goodFriday(2024)).toBe('2024-03-29');
    expect(goodFriday(2025)).toBe('2025-04-18');
    expect(isoDay(easterSunday(2038))).toBe('2038-04-25'); // latest possible
    expect(isoDay(easterSunday(2285))).toBe('2285-03-22'); // earliest possible
  });
});

describe('FX calendar', () => {
  it('treats Friday → Sunday/Monday-morning breaks as the weekend, in any broker clock', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(isFxWeekendBreak(at('2019-02-15T21:00Z'), at('2019-02-17T22:05Z'))).toBe(true); // UTC
    expect(isFxWeekendBreak(at('2019-02-15T23:00Z'), at('2019-02-18T00:00Z'))).toBe(true); // GMT+2
    expect(isFxWeekendBreak(at('2019-02-15T16:00Z'), at('2019-02-17T17:00Z'))).toBe(true); // New York
    expect(isFxWeekendBreak(at('2019-02-14T21:00Z'), at('2019-02-17T22:00Z'))).toBe(false); // from Thursday
    expect(isFxWeekendBreak(at('2019-02-15T21:00Z'), at('2019-02-18T15:00Z'))).toBe(false); // Monday afternoon
    expect(isFxWeekendBreak(at('2019-02-15T21:00Z'), at('2019-02-25T00:00Z'))).toBe(false); // a week later
  });

  it('closes Christmas and New Year’s Day on weekdays', () => {
    expect(fxHolidays(2019).map((h) => isoDay(h.day))).toEqual(['2019-01-01', '2019-12-25']);
    expect(fxHolidays(2022).map((h) => isoDay(h.day))).toEqual([]); // both on weekends
  });

  it('recognises currency-pair symbols but not crypto pairs', () => {
    for (const s of ['EURUSD', 'EUR/USD', 'eurusd', 'OANDA:EUR_USD', 'GBPJPY.m', 'EURUSDm', 'XAUUSD', 'USD-JPY']) expect(isFxPairSymbol(s), s).toBe(true);
    for (const s of ['EURUSDT', 'BTCUSD', 'BTC/USDT', 'SOLUSDT', 'NVDA', 'USDUSD', 'ETH/BTC']) expect(isFxPairSymbol(s), s).toBe(false);
  });
});
