/**
 * Exchange calendars for the data-health check: days a market is closed for the whole day, so a
 * missing bar on such a day is a closure, not a gap.
 *
 * NYSE (US equities). Rules from NYSE Rule 7.2 ("Holidays") and the exchange's published holiday
 * lists (nyse.com/markets/hours-calendars):
 *   New Year's Day, Martin Luther King Jr. Day (3rd Monday of January, observed by the NYSE since
 *   1998), Washington's Birthday (3rd Monday of February), Good Friday (two days before Western
 *   Easter), Memorial Day (last Monday of May), Juneteenth (June 19, since 2022), Independence Day
 *   (July 4), Labor Day (1st Monday of September), Thanksgiving (4th Thursday of November),
 *   Christmas (December 25).
 *   Rule 7.2 observance: a holiday on a Saturday closes the Friday before, one on a Sunday the
 *   Monday after — except New Year's Day on a Saturday, which closes nothing (the Friday before is
 *   the last day of the accounting year; e.g. the NYSE traded on 1999-12-31, 2010-12-31, 2021-12-31).
 *   Special closures (from the NYSE's historical closings list): 1985-09-27 Hurricane Gloria,
 *   1994-04-27 Nixon funeral, 2001-09-11…14 the September 11 attacks, 2004-06-11 Reagan funeral,
 *   2007-01-02 Ford funeral, 2012-10-29/30 Hurricane Sandy, 2018-12-05 G. H. W. Bush funeral,
 *   2025-01-09 Carter funeral.
 *   Good for 1981 on (until the exchange changes its rules or closes unexpectedly again: add the
 *   day to `NYSE_SPECIAL_CLOSURES`). Earlier years miss the Election Day closures (until 1980) and
 *   older special closings. Early closes (1 pm: the day after Thanksgiving, often July 3 and
 *   December 24) are not full-day closures and are not listed, so on intraday bars the missing
 *   afternoon of such a day still counts as a gap.
 *
 * FX (spot currencies). The interbank market closes from Friday ~21:00/22:00 UTC (17:00 New York)
 * to Sunday ~21:00/22:00 UTC, the hour moving with US daylight-saving time; broker files are often
 * stamped in the broker's own clock (GMT+2/+3 is common), so the weekend is recognised loosely in
 * `isFxWeekendBreak`. Most brokers also do not trade Christmas Day and New Year's Day.
 *
 * Days are counted as whole days since 1970-01-01 ("day numbers"), the calendar date being the
 * exchange's local date; callers choose how a bar's timestamp maps to that date.
 */

const DAY_MS = 86_400_000;

/** Whole days since 1970-01-01 of a calendar date (month 1–12). */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** The ISO date (YYYY-MM-DD) of a day number. */
export function isoDay(dayNum: number): string {
  return new Date(dayNum * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, as `Date.getUTCDay`. */
function weekday(dayNum: number): number {
  return (((dayNum + 4) % 7) + 7) % 7;
}

/** The n-th (1-based) given weekday of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  if (n > 0) {
    const first = dayNumber(year, month, 1);
    return first + ((wd - weekday(first) + 7) % 7) + 7 * (n - 1);
  }
  const last = dayNumber(year, month + 1, 1) - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

/**
 * Western (Gregorian) Easter Sunday: the anonymous Gregorian computus (Meeus, "Astronomical
 * Algorithms", ch. 8; also known as the Meeus/Jones/Butcher algorithm).
 */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
}

/** Rule 7.2: Saturday → the Friday before, Sunday → the Monday after. */
function observed(dayNum: number): number {
  const wd = weekday(dayNum);
  return wd === 6 ? dayNum - 1 : wd === 0 ? dayNum + 1 : dayNum;
}

/** Unscheduled full-day NYSE closures (see the module header for the source). */
export const NYSE_SPECIAL_CLOSURES: readonly string[] = [
  '1985-09-27',
  '1994-04-27',
  '2001-09-11',
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11',
  '2007-01-02',
  '2012-10-29',
  '2012-10-30',
  '2018-12-05',
  '2025-01-09',
];

export interface CalendarHoliday {
  /** Day number of the weekday the market is closed. */
  readonly day: number;
  readonly name: string;
}

/** The NYSE's full-day closures in one year, in date order (weekdays only). */
export function nyseHolidays(year: number): CalendarHoliday[] {
  const out: CalendarHoliday[] = [];
  const newYear = dayNumber(year, 1, 1);
  // Only the Sunday case moves New Year's Day (see the header); a Saturday closes nothing.
  if (weekday(newYear) !== 6) out.push({ day: observed(newYear), name: "New Year's Day" });
  if (year >= 1998) out.push({ day: nthWeekday(year, 1, 1, 3), name: 'Martin Luther King Jr. Day' });
  out.push({ day: nthWeekday(year, 2, 1, 3), name: "Washington's Birthday" });
  out.push({ day: easterSunday(year) - 2, name: 'Good Friday' });
  out.push({ day: nthWeekday(year, 5, 1, -1), name: 'Memorial Day' });
  if (year >= 2022) out.push({ day: observed(dayNumber(year, 6, 19)), name: 'Juneteenth' });
  out.push({ day: observed(dayNumber(year, 7, 4)), name: 'Independence Day' });
  out.push({ day: nthWeekday(year, 9, 1, 1), name: 'Labor Day' });
  out.push({ day: nthWeekday(year, 11, 4, 4), name: 'Thanksgiving Day' });
  out.push({ day: observed(dayNumber(year, 12, 25)), name: 'Christmas Day' });
  for (const iso of NYSE_SPECIAL_CLOSURES) {
    if (Number(iso.slice(0, 4)) === year) out.push({ day: dayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))), name: 'Special closure' });
  }
  return out.sort((a, b) => a.day - b.day);
}

/** Christmas Day and New Year's Day on weekdays: the days most FX brokers do not trade. */
export function fxHolidays(year: number): CalendarHoliday[] {
  return [
    { day: dayNumber(year, 1, 1), name: "New Year's Day" },
    { day: dayNumber(year, 12, 25), name: 'Christmas Day' },
  ].filter((h) => weekday(h.day) !== 0 && weekday(h.day) !== 6);
}

/** Day numbers of a calendar's closures for the years `fromYear`…`toYear`. */
export function closedDays(holidays: (year: number) => CalendarHoliday[], fromYear: number, toYear: number): Set<number> {
  const days = new Set<number>();
  for (let y = fromYear; y <= toYear; y++) for (const h of holidays(y)) days.add(h.day);
  return days;
}

/**
 * A break between two consecutive FX candles is the weekend closure when it starts on a Friday
 * and ends on the Saturday, Sunday or Monday morning (before 12:00) after it, in the file's own
 * clock. Loose on purpose: with broker clocks from UTC−5 to UTC+3 the reopening lands anywhere
 * from Sunday 17:00 to Monday 01:00, and the last Friday bar anywhere from 16:00 to 23:00.
 */
export function isFxWeekendBreak(lastBeforeMs: number, firstAfterMs: number): boolean {
  const from = new Date(lastBeforeMs);
  if (from.getUTCDay() !== 5) return false;
  const elapsed = firstAfterMs - lastBeforeMs;
  if (elapsed > 4 * DAY_MS) return false;
  const to = new Date(firstAfterMs);
  const wd = to.getUTCDay();
  return wd === 6 || wd === 0 || (wd === 1 && to.getUTCHours() < 12);
}
