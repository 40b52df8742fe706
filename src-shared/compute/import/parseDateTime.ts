/**
 * Allocation-free parsers for the time cells of market exports: epoch numbers in any unit,
 * calendar dates in the common orders, times of day in 24- and 12-hour clocks, and zone
 * offsets. Every function reads `s[start, end)` so the row parser never slices a line.
 */

const MS_PER_DAY = 86_400_000;

/** Facts gathered about one cell while sniffing; the hot path passes no probe. */
export interface DateProbe {
  epoch: boolean;
  /** The year came first (2019-02-15, 2019.02.15, 20190215). */
  yearFirst: boolean;
  /** The month was written as a name (Jan, February). */
  monthName: boolean;
  /** First and second numeric date fields when the year is last: the day/month candidates. */
  first: number;
  second: number;
  hasTime: boolean;
  hasZone: boolean;
}

export function newDateProbe(): DateProbe {
  return { epoch: false, yearFirst: false, monthName: false, first: 0, second: 0, hasTime: false, hasZone: false };
}

/**
 * Converts an epoch number to milliseconds, choosing the unit per value by magnitude:
 * < 1e11 seconds (up to year 5138), < 1e14 milliseconds, < 1e17 microseconds, else nanoseconds.
 * Float seconds (`1599436800.0`) are fine. Deciding per value, not per file, is what lets a
 * file whose unit changes part-way (ms rows, then s rows) import correctly.
 */
export function epochToMs(v: number): number {
  const m = Math.abs(v);
  if (m < 1e11) return Math.round(v * 1000);
  if (m < 1e14) return Math.round(v);
  if (m < 1e17) return Math.round(v / 1000);
  return Math.round(v / 1e6);
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date algorithms"). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Cursor state shared by the small readers below; single-threaded, so module scope is safe
// and avoids allocating a cursor object per cell.
let pos = 0;
let digitCount = 0;

function readDigits(s: string, end: number): number {
  let v = 0;
  const start = pos;
  while (pos < end) {
    const d = s.charCodeAt(pos) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    pos++;
  }
  digitCount = pos - start;
  return v;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const MONTHS = 'janfebmaraprmayjunjulaugsepoctnovdec';

/** Reads a month name at `pos` (Jan, february, Sept); returns 1..12 or 0. */
function readMonthName(s: string, end: number): number {
  const start = pos;
  while (pos < end && isLetter(s.charCodeAt(pos))) pos++;
  if (pos - start < 3) return 0;
  const key = s.slice(start, start + 3).toLowerCase();
  const k = MONTHS.indexOf(key);
  return k >= 0 && k % 3 === 0 ? k / 3 + 1 : 0;
}

/** Reads `AM`/`PM` (any case, optional dots) at `pos`; returns 1 for AM, 2 for PM, 0 when absent. */
function readMeridiem(s: string, end: number): number {
  if (pos >= end) return 0;
  const c = s.charCodeAt(pos) | 32;
  if (c !== 97 && c !== 112) return 0;
  let p = pos + 1;
  if (p < end && s.charCodeAt(p) === 46) p++;
  if (p >= end || (s.charCodeAt(p) | 32) !== 109) return 0;
  p++;
  if (p < end && s.charCodeAt(p) === 46) p++;
  if (p < end && isLetter(s.charCodeAt(p))) return 0;
  pos = p;
  return c === 97 ? 1 : 2;
}

function skipBlanks(s: string, end: number): void {
  while (pos < end) {
    const c = s.charCodeAt(pos);
    if (c !== 32 && c !== 9) break;
    pos++;
  }
}

/**
 * Reads a time of day at `pos`: `HH:MM[:SS[.fff]]`, `HHMM`, `HHMMSS`, `HH-PM` (CryptoDataDownload)
 * or any of those followed by AM/PM. Returns milliseconds since midnight, or NaN.
 */
function readTimeOfDay(s: string, end: number): number {
  const hStart = pos;
  let hh = readDigits(s, end);
  const hDigits = digitCount;
  let mm = 0;
  let ss = 0;
  let fracMs = 0;
  if (hDigits === 4 || hDigits === 6) {
    // compact HHMM / HHMMSS
    const v = hh;
    if (hDigits === 6) {
      hh = Math.floor(v / 10_000);
      mm = Math.floor(v / 100) % 100;
      ss = v % 100;
    } else {
      hh = Math.floor(v / 100);
      mm = v % 100;
    }
  } else if (hDigits === 1 || hDigits === 2) {
    if (pos < end && s.charCodeAt(pos) === 58) {
      pos++;
      mm = readDigits(s, end);
      if (digitCount !== 2) return NaN;
      if (pos < end && s.charCodeAt(pos) === 58) {
        pos++;
        ss = readDigits(s, end);
        if (digitCount !== 2) return NaN;
        const c = pos < end ? s.charCodeAt(pos) : 0;
        if ((c === 46 || c === 44) && pos + 1 < end && isDigit(s.charCodeAt(pos + 1))) {
          pos++;
          const fStart = pos;
          const f = readDigits(s, end);
          const n = pos - fStart;
          // stored times are integer ms: sub-millisecond digits (pandas µs) are rounded
          fracMs = n <= 3 ? f * 10 ** (3 - n) : Math.round(f / 10 ** (n - 3));
        }
      }
    } else if (pos + 1 < end && s.charCodeAt(pos) === 45 && isLetter(s.charCodeAt(pos + 1))) {
      pos++; // "11-PM": the meridiem follows a dash
    } else {
      // a bare hour is a time only when a meridiem follows ("11 PM")
      const save = pos;
      skipBlanks(s, end);
      if (readMeridiem(s, end) === 0) {
        pos = hStart;
        return NaN;
      }
      pos = save;
    }
  } else {
    pos = hStart;
    return NaN;
  }
  const save = pos;
  skipBlanks(s, end);
  const meridiem = readMeridiem(s, end);
  if (meridiem === 0) {
    pos = save;
  } else {
    if (hh < 1 || hh > 12) return NaN;
    hh = (hh % 12) + (meridiem === 2 ? 12 : 0);
  }
  if (hh > 24 || mm > 59 || ss > 60 || (hh === 24 && (mm > 0 || ss > 0))) return NaN;
  return hh * 3_600_000 + mm * 60_000 + ss * 1000 + fracMs;
}

/** Set by `readZone`: whether the cell named a zone (even `Z`, whose offset is 0). */
let zoneSeen = false;

/**
 * Reads an optional zone at `pos`: `Z`, `UTC`, `GMT`, each optionally followed by `±HH[:MM]`,
 * or a bare `±HH[:MM]` / `±HHMM`. Returns the offset in ms (local minus UTC), 0 when absent,
 * NaN when malformed.
 */
function readZone(s: string, end: number): number {
  zoneSeen = false;
  if (pos >= end) return 0;
  let c = s.charCodeAt(pos);
  if (c === 90 || c === 122) {
    pos++;
    zoneSeen = true;
    return 0;
  }
  if (pos + 3 <= end) {
    const word = s.slice(pos, pos + 3).toUpperCase();
    if (word === 'UTC' || word === 'GMT') {
      pos += 3;
      zoneSeen = true;
      if (pos >= end) return 0;
      c = s.charCodeAt(pos);
      if (c !== 43 && c !== 45) return 0;
    }
  }
  if (c !== 43 && c !== 45 && c !== 0x2212) return 0;
  const sign = c === 43 ? 1 : -1;
  pos++;
  let hh = readDigits(s, end);
  let mm = 0;
  if (digitCount === 4) {
    mm = hh % 100;
    hh = Math.floor(hh / 100);
  } else if (digitCount === 1 || digitCount === 2) {
    if (pos < end && s.charCodeAt(pos) === 58) {
      pos++;
      mm = readDigits(s, end);
      if (digitCount !== 2) return NaN;
    }
  } else {
    return NaN;
  }
  if (hh > 18 || mm > 59) return NaN;
  zoneSeen = true;
  return sign * (hh * 3_600_000 + mm * 60_000);
}

/**
 * Parses a time cell to UTC epoch milliseconds, or NaN.
 *
 * Accepts epoch numbers (unit by magnitude, see `epochToMs`), `YYYYMMDD`, year-first dates
 * (`2019-02-15`, `2019.02.15`, `2019/02/15`), year-last dates (`15.02.2019`, `2/15/2019`,
 * two-digit years too) whose day/month order comes from `dayFirst` unless a field exceeds 12,
 * month names (`15-Feb-2019`, `Feb 15, 2019`), then an optional time of day after `T` or
 * spaces, and an optional zone. A cell without a zone is read as UTC.
 */
export function parseDateTime(s: string, start: number, end: number, dayFirst: boolean, probe?: DateProbe): number {
  let a = start;
  let b = end;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  if (a === b) return NaN;

  pos = a;
  if (s.charCodeAt(pos) === 45 || s.charCodeAt(pos) === 43) pos++;
  const lead = readDigits(s, b);
  const leadDigits = digitCount;
  if (pos === b || (s.charCodeAt(pos) === 46 && leadDigits >= 9)) {
    // a plain number: an epoch value, or a compact YYYYMMDD date
    if (leadDigits === 8 && pos === b && s.charCodeAt(a) !== 45) {
      const t = compactDate(lead);
      if (!Number.isNaN(t)) {
        if (probe) probe.yearFirst = true;
        return t;
      }
    }
    if (leadDigits < 9) return NaN;
    let i = pos;
    if (i < b) {
      i++;
      while (i < b && isDigit(s.charCodeAt(i))) i++;
      if (i !== b) return NaN;
    }
    const v = Number(s.slice(a, b));
    if (probe) probe.epoch = true;
    return Number.isFinite(v) ? epochToMs(v) : NaN;
  }

  let year: number;
  let month: number;
  let day: number;
  pos = a;
  const c0 = s.charCodeAt(a);
  if (isDigit(c0)) {
    const v0 = readDigits(s, b);
    const l0 = digitCount;
    if (l0 === 8) {
      const t = compactDate(v0);
      if (Number.isNaN(t)) return NaN;
      year = Math.floor(v0 / 10_000);
      month = Math.floor(v0 / 100) % 100;
      day = v0 % 100;
      if (probe) probe.yearFirst = true;
    } else {
      if (!readDateSeparator(s, b)) return NaN;
      let v1: number;
      let nameMonth = false;
      if (isLetter(s.charCodeAt(pos))) {
        v1 = readMonthName(s, b);
        if (v1 === 0) return NaN;
        nameMonth = true;
      } else {
        v1 = readDigits(s, b);
        if (digitCount < 1 || digitCount > 2) return NaN;
      }
      if (!readDateSeparator(s, b)) return NaN;
      const v2 = readDigits(s, b);
      const l2 = digitCount;
      if (l0 === 4) {
        if (nameMonth || l2 < 1 || l2 > 2) return NaN;
        year = v0;
        month = v1;
        day = v2;
        if (probe) probe.yearFirst = true;
      } else if (l0 <= 2 && (l2 === 4 || l2 === 2)) {
        year = l2 === 4 ? v2 : v2 < 70 ? 2000 + v2 : 1900 + v2;
        if (nameMonth) {
          month = v1;
          day = v0;
        } else {
          // An impossible month settles the order for this cell whatever the file-level guess.
          const dmy = v0 > 12 ? true : v1 > 12 ? false : dayFirst;
          day = dmy ? v0 : v1;
          month = dmy ? v1 : v0;
          if (probe) {
            probe.first = v0;
            probe.second = v1;
          }
        }
      } else {
        return NaN;
      }
      if (probe) probe.monthName = nameMonth;
    }
  } else if (isLetter(c0)) {
    // "Feb 15, 2019" / "February 15 2019"
    month = readMonthName(s, b);
    if (month === 0) return NaN;
    skipBlanks(s, b);
    day = readDigits(s, b);
    if (digitCount < 1 || digitCount > 2) return NaN;
    if (pos < b && s.charCodeAt(pos) === 44) pos++;
    skipBlanks(s, b);
    year = readDigits(s, b);
    if (digitCount !== 4) return NaN;
    if (probe) probe.monthName = true;
  } else {
    return NaN;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  let ms = daysFromCivil(year, month, day) * MS_PER_DAY;

  if (pos < b) {
    const c = s.charCodeAt(pos);
    if (c === 84 || c === 116) pos++;
    else if (c === 32 || c === 44 || c === 9) {
      pos++;
      skipBlanks(s, b);
    } else return NaN;
    const tod = readTimeOfDay(s, b);
    if (Number.isNaN(tod)) return NaN;
    ms += tod;
    if (probe) probe.hasTime = true;
    skipBlanks(s, b);
    const offset = readZone(s, b);
    if (Number.isNaN(offset)) return NaN;
    if (zoneSeen && probe) probe.hasZone = true;
    ms -= offset;
    skipBlanks(s, b);
    if (pos !== b) return NaN;
  }
  return ms;
}

/** A date separator: one of `-` `/` `.` or spaces, optionally after a comma. */
function readDateSeparator(s: string, end: number): boolean {
  if (pos >= end) return false;
  const c = s.charCodeAt(pos);
  if (c === 45 || c === 47 || c === 46) {
    pos++;
    return pos < end;
  }
  if (c === 32 || c === 44) {
    pos++;
    skipBlanks(s, end);
    return pos < end;
  }
  return false;
}

function compactDate(v: number): number {
  const year = Math.floor(v / 10_000);
  const month = Math.floor(v / 100) % 100;
  const day = v % 100;
  if (year < 1800 || year > 2300 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day) * MS_PER_DAY;
}

/**
 * Parses a time-of-day cell (`14:00`, `14:00:00`, `140000`, `2:00 PM`) to milliseconds since
 * midnight, or NaN. Used for the separate time column of MetaTrader exports.
 */
export function parseTimeOfDay(s: string, start: number, end: number): number {
  let a = start;
  let b = end;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  if (a === b) return NaN;
  pos = a;
  const v = readTimeOfDay(s, b);
  return pos === b ? v : NaN;
}
