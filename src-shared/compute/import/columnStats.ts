import { CHAR_COMMA, CHAR_DOT, isMissingValue, parseDecimal } from './parseDecimal.js';
import { newDateProbe, parseDateTime, parseTimeOfDay } from './parseDateTime.js';

/** What the sample cells of one column look like; drives column mapping while sniffing. */
export interface ColumnStats {
  /** Non-missing cells. */
  n: number;
  missing: number;
  /** Numbers in either decimal convention. */
  numeric: number;
  /** Cells that are all zero (numeric and equal to 0). */
  zeros: number;
  /** Epoch numbers (≥ 9 integer digits). */
  epoch: number;
  /** Calendar dates (with or without a time of day). */
  date: number;
  dateWithTime: number;
  /** Cells carrying an explicit zone. */
  zoned: number;
  /** `HH:MM[:SS]` or meridiem times of day. */
  timeOfDay: number;
  /** 4- or 6-digit cells that read as HHMM / HHMMSS. */
  compactTimeOfDay: number;
  /** Numeric dates with the year last: largest first and second field (day/month evidence). */
  maxFirst: number;
  maxSecond: number;
  yearLast: number;
  /** The separator of the first year-last date (`.` `/` `-`), for the order guess. */
  yearLastSeparator: string;
  /** Cells with a letter (text such as a symbol or `null`). */
  withLetters: number;
  /** Distinct non-missing values, up to a few. */
  distinct: Set<string>;
  first: string;
}

function emptyStats(): ColumnStats {
  return {
    n: 0, missing: 0, numeric: 0, zeros: 0, epoch: 0, date: 0, dateWithTime: 0, zoned: 0, timeOfDay: 0,
    compactTimeOfDay: 0, maxFirst: 0, maxSecond: 0, yearLast: 0, yearLastSeparator: '', withLetters: 0,
    distinct: new Set(), first: '',
  };
}

/** Computes stats for every column of the sampled data rows (cells already split). */
export function columnStats(rows: string[][], columnCount: number): ColumnStats[] {
  const stats = Array.from({ length: columnCount }, emptyStats);
  const probe = newDateProbe();
  for (const row of rows) {
    for (let k = 0; k < columnCount; k++) {
      const st = stats[k]!;
      const raw = row[k];
      if (raw === undefined || isMissingValue(raw, 0, raw.length)) {
        st.missing++;
        continue;
      }
      const cell = raw.trim();
      st.n++;
      if (st.n === 1) st.first = cell;
      if (st.distinct.size < 8) st.distinct.add(cell);
      if (/[A-Za-z]/.test(cell)) st.withLetters++;
      const asDot = parseDecimal(cell, 0, cell.length, CHAR_DOT, CHAR_COMMA);
      const asComma = parseDecimal(cell, 0, cell.length, CHAR_COMMA, CHAR_DOT);
      if (!Number.isNaN(asDot) || !Number.isNaN(asComma)) {
        st.numeric++;
        if (asDot === 0 || asComma === 0) st.zeros++;
      }
      Object.assign(probe, newDateProbe());
      const t = parseDateTime(cell, 0, cell.length, true, probe);
      if (!Number.isNaN(t)) {
        if (probe.epoch) {
          st.epoch++;
        } else {
          st.date++;
          if (probe.hasTime) st.dateWithTime++;
          if (probe.hasZone) st.zoned++;
          if (!probe.yearFirst && !probe.monthName) {
            st.yearLast++;
            st.maxFirst = Math.max(st.maxFirst, probe.first);
            st.maxSecond = Math.max(st.maxSecond, probe.second);
            if (st.yearLastSeparator === '') st.yearLastSeparator = cell.match(/[./-]/)?.[0] ?? '';
          }
        }
      }
      if (/^\d+$/.test(cell) && (cell.length === 4 || cell.length === 6) && !Number.isNaN(parseTimeOfDay(cell, 0, cell.length))) {
        st.compactTimeOfDay++;
      } else if (Number.isNaN(t) && /[:APap]/.test(cell) && !Number.isNaN(parseTimeOfDay(cell, 0, cell.length))) {
        st.timeOfDay++;
      }
    }
  }
  return stats;
}

/** At least 80 % of a column's present cells satisfy a test (and some cells are present). */
export function mostly(count: number, st: ColumnStats): boolean {
  return st.n > 0 && count >= 0.8 * st.n;
}

/** A full timestamp column: epoch numbers or calendar dates. */
export function isTimestampColumn(st: ColumnStats): boolean {
  return mostly(st.epoch + st.date, st);
}

/** Dates without a time of day, so a separate time column may complete them. */
export function isDateOnlyColumn(st: ColumnStats): boolean {
  return mostly(st.date, st) && st.dateWithTime === 0 && st.epoch === 0;
}

/** A numeric column (prices, volumes, indicators); all-missing columns count as numeric. */
export function isNumericColumn(st: ColumnStats): boolean {
  return st.n === 0 ? st.missing > 0 : st.numeric >= 0.9 * st.n;
}
