/**
 * Data-health report of one OHLCV series: what is missing, what is implausible, a 0–100 score and
 * a verdict, plus a flag per candle so the chart can mark the bars in question.
 *
 * Checks, per candle (reason bits in `HEALTH_REASON`):
 * - gaps: bars expected between two consecutive candles but absent. "Expected" follows the
 *   market's weekly sessions when `sessions: 'auto'` finds them (see `sessions.ts`) and the
 *   market's calendar (`calendars.ts`: NYSE holidays, the FX weekend), so weekends, holidays and
 *   overnight breaks are closures, counted apart, not gaps. Bars before the first or after the
 *   last candle cannot be known to be missing and are not counted.
 * - invalid OHLC (bad): a price not finite or ≤ 0, high < max(open, close), low > min(open, close),
 *   or a negative volume.
 * - spikes (suspect): |log return| between consecutive closes (divided by √(1 + missing bars)
 *   across a gap) above k · σ, or a wick beyond the body longer than k · σ in log terms, where
 *   σ is a local robust scale: 1.4826 · MAD of the returns in blocks of 256 bars, floored at
 *   a quarter of the whole series' robust σ. k = 8: about 1e-15 for normal returns, so only
 *   events that fat tails alone rarely explain are marked. Blocks keep a volatile month from
 *   being all spikes while a quiet one hides nothing.
 * - bad ticks (bad): an isolated spike immediately undone: the next return is also beyond k · σ,
 *   of the opposite sign, brings the close back within a quarter of the move, and the returns
 *   just before and after the pair are ordinary (within k/2 · σ). A single wrong print looks like
 *   that; a crash inside a volatile burst does not (the burst's neighbours are large too).
 * - zero volume, missing (NaN) volume, flat bars (open = high = low = close): suspect.
 * - off grid (suspect): the open time is not on the series' bar grid (the grid's phase is the
 *   most common ts mod timeframe), or two candles share a grid slot.
 * - incomplete first/last (suspect): what can be known without the exchange is (a) the bar is
 *   off the grid the rest follows (a partial first bucket), (b) its volume is under 2 % of the
 *   median volume (a bar cut short), or (c) for the last bar, given `nowMs`, its period has not
 *   ended yet (open + timeframe > now).
 *
 * Score (0–100, rounded):
 *   100 − min(40, 200 · missing/expected) − min(40, 2000 · bad/rows) − min(20, 100 · suspect/rows)
 * where `suspect` counts candles with a suspect reason other than "gap before" (gaps are already
 * priced by the first term). So 1 % missing bars costs 2 points, 1 % invalid candles 20, 1 %
 * suspect candles 1. A score that rounds to 100 while something was found is shown as 99, so 100
 * means nothing was found. Verdict: 'bad' when score < 60 or more than 1 % of candles are bad;
 * 'clean' only at 100 (no missing bar, no suspect or bad candle); otherwise 'suspect'. Earlier
 * versions called a series with 21 spikes and nothing else "100 · clean": the verdict now follows
 * from the counts shown beside it.
 *
 * Every suspect candle is counted once, under its first reason in `SUSPECT_CATEGORIES`, and every
 * bad one under its first reason in `BAD_CATEGORIES`, so the breakdowns add up to the totals
 * (the per-check counts above overlap: a spike may also have zero volume).
 */
import type { DurationMs, EpochMs } from '../../domain/units.js';
import type { OhlcvColumns } from '../rollup/columns.js';
import { fastRobustSigma, medianInPlace, robustSigmaInPlace } from './robustScale.js';
import { closedDays, fxHolidays, isFxWeekendBreak, nyseHolidays } from './calendars.js';
import { ALWAYS_OPEN, FIRST_MONDAY_MS, chooseCalendar, detectSessions, exchangeDay, exchangeDayShiftMs, expectedBefore } from './sessions.js';
import type { CalendarSource, MarketCalendar, SessionPattern } from './sessions.js';

/** Bumped when the summary's shape changes, so a stored older report is recomputed. */
export const HEALTH_REPORT_VERSION = 2;

/** Per-candle severity in `HealthReport.flags`. */
export const HEALTH_FLAG = { clean: 0, suspect: 1, bad: 2 } as const;

/** Reason bits in `HealthReport.reasons`. */
export const HEALTH_REASON = {
  gapBefore: 1 << 0,
  zeroVolume: 1 << 1,
  missingVolume: 1 << 2,
  spike: 1 << 3,
  badTick: 1 << 4,
  flat: 1 << 5,
  invalidOhlc: 1 << 6,
  offGrid: 1 << 7,
  incomplete: 1 << 8,
} as const;
export type HealthReasonName = keyof typeof HEALTH_REASON;

/** Reasons of a suspect candle, in the order a candle with several is counted under its first. */
export const SUSPECT_CATEGORIES = ['spike', 'offGrid', 'incomplete', 'missingVolume', 'zeroVolume', 'flat', 'gapBefore'] as const;
export type SuspectCategory = (typeof SUSPECT_CATEGORIES)[number];
/** Reasons of a bad candle, likewise. */
export const BAD_CATEGORIES = ['invalidOhlc', 'badTick'] as const;
export type BadCategory = (typeof BAD_CATEGORIES)[number];

/** Breaks between consecutive candles where the market was closed: not gaps. */
export interface HealthClosures {
  /** Breaks spanning a weekend. */
  readonly weekends: number;
  /** Holidays (days) on which bars were expected by the weekly pattern but the calendar closes the market. */
  readonly holidays: number;
  /** Other closed stretches: overnight and daily pauses of a market with session hours. */
  readonly daily: number;
}

const BAD_REASONS = HEALTH_REASON.invalidOhlc | HEALTH_REASON.badTick;
const SCORED_SUSPECT_REASONS = 0xffff & ~BAD_REASONS & ~HEALTH_REASON.gapBefore;

export type HealthVerdict = 'clean' | 'suspect' | 'bad';

export interface HealthGap {
  /** Open time of the last candle before the gap. */
  readonly fromTs: number;
  /** Open time of the first candle after the gap. */
  readonly toTs: number;
  readonly missingBars: number;
}

/** The JSON-serialisable part of the report (store it as-is). */
export interface HealthSummary {
  readonly version: number;
  readonly rows: number;
  /** rows + missingBars: what the span between first and last candle should hold. */
  readonly expectedRows: number;
  readonly missingBars: number;
  readonly gapCount: number;
  /** Up to 10 gaps, most bars missing first. */
  readonly largestGaps: HealthGap[];
  readonly zeroVolumeBars: number;
  readonly missingVolumeBars: number;
  readonly spikes: number;
  readonly badTicks: number;
  readonly flatBars: number;
  readonly invalidBars: number;
  readonly offGridBars: number;
  readonly incompleteFirst: boolean;
  readonly incompleteLast: boolean;
  /** A weekly session pattern was found: closed slots are not counted as missing. */
  readonly sessionsDetected: boolean;
  /** Sessions were found and the market is closed on (part of) the weekend. */
  readonly weekendGapsExpected: boolean;
  /** Share of the week in which bars are expected (1 for a 24/7 market). */
  readonly activeFraction: number;
  /** k of the spike rule, in robust σ. */
  readonly spikeThreshold: number;
  /** Robust σ of the log returns over the whole series (1.4826 · MAD). */
  readonly robustSigma: number;
  readonly suspectBars: number;
  readonly badBars: number;
  /** Suspect candles by first reason; sums to `suspectBars`. */
  readonly suspectByReason: Record<SuspectCategory, number>;
  /** Bad candles by first reason; sums to `badBars`. */
  readonly badByReason: Record<BadCategory, number>;
  /** The calendar whose closures are not gaps, and how it was chosen (`sessions.ts`). */
  readonly calendar: MarketCalendar;
  readonly calendarSource: CalendarSource;
  readonly closures: HealthClosures;
  /** The commonest UTC times of day (HH:MM) of off-grid candles, most first (at most 3). */
  readonly offGridTimes: { time: string; count: number }[];
  readonly score: number;
  readonly verdict: HealthVerdict;
}

/** What a block learnt about its market, for the next block of the same series (`HealthOptions.carry`). */
export interface HealthContext {
  readonly originMs: number;
  readonly sessions: SessionPattern;
  readonly calendar: MarketCalendar;
  readonly calendarSource: CalendarSource;
}

export interface HealthReport {
  readonly summary: HealthSummary;
  readonly context: HealthContext;
  /** Per candle: 0 clean, 1 suspect, 2 bad (`HEALTH_FLAG`). */
  readonly flags: Uint8Array;
  /** Per candle: OR of `HEALTH_REASON` bits. */
  readonly reasons: Uint16Array;
}

export interface HealthOptions {
  /** 'auto' (default) learns weekly sessions from the data; 'none' expects every bar (24/7). */
  readonly sessions?: 'auto' | 'none';
  /** The market calendar; 'auto' (default) chooses one from the data and symbol (`sessions.ts`). */
  readonly calendar?: 'auto' | MarketCalendar;
  /** The dataset's symbol: a currency pair selects the FX calendar. */
  readonly symbol?: string;
  /**
   * The previous block's context, when a long series is checked block by block: a block too short
   * to learn sessions from (under 3 weeks, e.g. the last one) is judged by the block before it
   * instead of as 24/7, which would make every night and weekend a gap.
   */
  readonly carry?: HealthContext;
  /** Current time, to tell whether the last bar's period has ended; omitted: not checked. */
  readonly nowMs?: EpochMs;
  /** k of the spike rule; default 8. */
  readonly spikeThreshold?: number;
}

const DAY_MS = 86_400_000;
/** Under three weeks a block cannot learn its sessions (`sessions.ts`, MIN_WEEKS). */
const MIN_LEARNING_SPAN_MS = 3 * 7 * DAY_MS;
const DEFAULT_SPIKE_K = 8;
const SCALE_BLOCK = 256;
const LOCAL_SCALE_FLOOR = 0.25;
const INCOMPLETE_VOLUME_SHARE = 0.02;
const MAX_LISTED_GAPS = 10;

/** Reasons that make a candle suspect and lower the score (gap-only candles are priced by the gap term). */
export const SCORED_SUSPECT_REASON_BITS = SCORED_SUSPECT_REASONS;
/** Reasons that make a candle bad. */
export const BAD_REASON_BITS = BAD_REASONS;

/** The score and verdict rule in one sentence, for the panel and the CLI. */
export const HEALTH_SCORING_RULE =
  'Score = 100 − 2 points per 1 % of expected bars missing (at most 40) − 20 per 1 % of candles bad (at most 40) − 1 per 1 % of candles suspect for their own values (at most 20), and is 100 only when nothing was found; the verdict is clean at 100, bad below 60 or with over 1 % bad candles, and suspect otherwise.';

/** The score and verdict rules of the module header, shared with the merge of per-block reports. */
export function scoreHealth(rows: number, missingBars: number, badBars: number, scoredSuspect: number): { score: number; verdict: HealthVerdict } {
  if (rows === 0) return { score: 0, verdict: 'bad' };
  const expectedRows = rows + missingBars;
  const penalty = Math.min(40, (200 * missingBars) / expectedRows) + Math.min(40, (2000 * badBars) / rows) + Math.min(20, (100 * scoredSuspect) / rows);
  const score = penalty > 0 ? Math.min(99, Math.round(Math.max(0, 100 - penalty))) : 100;
  const verdict: HealthVerdict = score < 60 || badBars > 0.01 * rows ? 'bad' : score < 100 ? 'suspect' : 'clean';
  return { score, verdict };
}

/** The first category of `categories` whose reason bit is set in `bits`. */
export function firstCategory<C extends HealthReasonName>(categories: readonly C[], bits: number): C | undefined {
  for (const c of categories) if (bits & HEALTH_REASON[c]) return c;
  return undefined;
}

/** Suspect and bad candles by first reason, from the per-candle reason bits. */
export function countCategories(reasons: Uint16Array, from = 0): { suspectByReason: Record<SuspectCategory, number>; badByReason: Record<BadCategory, number> } {
  const suspectByReason = Object.fromEntries(SUSPECT_CATEGORIES.map((c) => [c, 0])) as Record<SuspectCategory, number>;
  const badByReason = Object.fromEntries(BAD_CATEGORIES.map((c) => [c, 0])) as Record<BadCategory, number>;
  for (let i = from; i < reasons.length; i++) {
    const r = reasons[i]!;
    if (r === 0) continue;
    const bad = firstCategory(BAD_CATEGORIES, r);
    if (bad) badByReason[bad]++;
    else suspectByReason[firstCategory(SUSPECT_CATEGORIES, r)!]++;
  }
  return { suspectByReason, badByReason };
}

/** Decodes a reason bit set into names, for display. */
export function healthReasonNames(bits: number): HealthReasonName[] {
  return (Object.keys(HEALTH_REASON) as HealthReasonName[]).filter((name) => (bits & HEALTH_REASON[name]) !== 0);
}

/** The most common ts mod timeframe (measured from a Monday), i.e. where the bar grid sits. */
function gridPhase(ts: Float64Array, tf: number): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  // A sample is enough to find the phase; a long series need not be walked twice.
  const step = Math.max(1, Math.floor(ts.length / 10_000));
  for (let i = 0; i < ts.length; i += step) {
    const p = (((ts[i]! - FIRST_MONDAY_MS) % tf) + tf) % tf;
    const c = (counts.get(p) ?? 0) + 1;
    counts.set(p, c);
    if (c > bestCount) {
      best = p;
      bestCount = c;
    }
  }
  return best;
}

function isValidCandle(o: number, h: number, l: number, c: number, v: number): boolean {
  // Written so that NaN fails every comparison and lands in "invalid".
  return o > 0 && h > 0 && l > 0 && c > 0 && h < Infinity && h >= o && h >= c && l <= o && l <= c && !(v < 0);
}

function insertGap(list: HealthGap[], gap: HealthGap): void {
  if (list.length === MAX_LISTED_GAPS && gap.missingBars <= list[list.length - 1]!.missingBars) return;
  let at = list.length;
  while (at > 0 && list[at - 1]!.missingBars < gap.missingBars) at--;
  list.splice(at, 0, gap);
  if (list.length > MAX_LISTED_GAPS) list.pop();
}

/**
 * Checks one series (sorted by ts; duplicates already removed by the caller) at bar spacing
 * `timeframeMs`; rules, score and verdict are documented in this module's header.
 */
export function healthReport(cols: OhlcvColumns, timeframeMs: DurationMs, options: HealthOptions = {}): HealthReport {
  const { ts, open, high, low, close, volume } = cols;
  const n = ts.length;
  const tf = timeframeMs as number;
  if (!(tf > 0)) throw new RangeError(`timeframeMs must be positive, got ${tf}`);
  const k = options.spikeThreshold ?? DEFAULT_SPIKE_K;
  const flags = new Uint8Array(n);
  const reasons = new Uint16Array(n);

  // Bar grid and the expected-bar pattern.
  const origin = FIRST_MONDAY_MS + gridPhase(ts, tf);
  const barIndex = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const exact = (ts[i]! - origin) / tf;
    barIndex[i] = Math.round(exact);
    if (barIndex[i] !== exact) reasons[i]! |= HEALTH_REASON.offGrid;
  }
  const grid = { originMs: origin, timeframeMs: tf };
  const continuous = options.sessions === 'none' || options.calendar === 'continuous';
  const carry = options.carry;
  const inherit = !continuous && carry !== undefined && carry.originMs === origin && n > 0 && (barIndex[n - 1]! - barIndex[0]! + 1) * tf < MIN_LEARNING_SPAN_MS;
  const sessions: SessionPattern = continuous ? ALWAYS_OPEN : inherit ? carry.sessions : detectSessions(barIndex, grid);
  const chosen = continuous
    ? { calendar: 'continuous' as const, source: 'option' as const }
    : inherit
      ? { calendar: carry.calendar, source: carry.calendarSource }
      : options.calendar !== undefined && options.calendar !== 'auto'
        ? { calendar: options.calendar, source: 'option' as const }
        : chooseCalendar(ts, grid, sessions, options.symbol);
  const calendar = chosen.calendar;
  const holidays =
    n > 0 && (calendar === 'nyse' || calendar === 'fx')
      ? closedDays(calendar === 'nyse' ? nyseHolidays : fxHolidays, new Date(ts[0]!).getUTCFullYear() - 1, new Date(ts[n - 1]!).getUTCFullYear() + 1)
      : null;
  const dayShift = exchangeDayShiftMs(calendar, tf);
  const closures = { weekends: 0, holidays: 0, daily: 0 };

  // Gaps and per-candle checks.
  let missingBars = 0;
  let gapCount = 0;
  const largestGaps: HealthGap[] = [];
  const missingBefore = new Float64Array(n);
  let zeroVolumeBars = 0;
  let missingVolumeBars = 0;
  let flatBars = 0;
  let invalidBars = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const a = barIndex[i - 1]!;
      const b = barIndex[i]!;
      if (b <= a) reasons[i]! |= HEALTH_REASON.offGrid;
      else if (b - a > 1) {
        const expected = expectedBefore(sessions, b) - expectedBefore(sessions, a + 1);
        const fxWeekend = calendar === 'fx' && isFxWeekendBreak(ts[i - 1]!, ts[i]!);
        let holidayBars = 0;
        if (holidays && !fxWeekend) {
          const fromDay = exchangeDay(calendar, tf, ts[i - 1]!);
          const toDay = exchangeDay(calendar, tf, ts[i]!);
          for (let d = fromDay; d <= toDay; d++) {
            if (!holidays.has(d)) continue;
            // The day's bars: those opening in [d, d + 1) on the exchange's date, within the break.
            const dayStart = d * DAY_MS + dayShift;
            const lo = Math.max(a + 1, Math.ceil((dayStart - origin) / tf));
            const hi = Math.min(b, Math.ceil((dayStart + DAY_MS - origin) / tf));
            const bars = hi > lo ? expectedBefore(sessions, hi) - expectedBefore(sessions, lo) : 0;
            if (bars > 0) {
              holidayBars += bars;
              closures.holidays++;
            }
          }
        }
        const missing = fxWeekend ? 0 : expected - holidayBars;
        if (fxWeekend || expected < b - a - 1) {
          if (fxWeekend || spansWeekend(ts[i - 1]!, ts[i]!)) closures.weekends++;
          else if (holidayBars === 0) closures.daily++;
        }
        if (missing > 0) {
          missingBefore[i] = missing;
          missingBars += missing;
          gapCount++;
          reasons[i]! |= HEALTH_REASON.gapBefore;
          insertGap(largestGaps, { fromTs: ts[i - 1]!, toTs: ts[i]!, missingBars: missing });
        }
      }
    }
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    if (!isValidCandle(o, h, l, c, v)) {
      reasons[i]! |= HEALTH_REASON.invalidOhlc;
      invalidBars++;
    }
    if (v === 0) {
      reasons[i]! |= HEALTH_REASON.zeroVolume;
      zeroVolumeBars++;
    } else if (Number.isNaN(v)) {
      reasons[i]! |= HEALTH_REASON.missingVolume;
      missingVolumeBars++;
    }
    if (o === h && h === l && l === c) {
      reasons[i]! |= HEALTH_REASON.flat;
      flatBars++;
    }
  }

  const { spikes, badTicks, robustSigma } = markSpikes(cols, missingBefore, reasons, k);
  const { incompleteFirst, incompleteLast } = markIncomplete(cols, tf, reasons, options.nowMs);

  let suspectBars = 0;
  let badBars = 0;
  let scoredSuspect = 0;
  let offGridBars = 0;
  const offGridTimeCounts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = reasons[i]!;
    if (r & HEALTH_REASON.offGrid) {
      offGridBars++;
      const minute = Math.floor((((ts[i]! % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
      offGridTimeCounts.set(minute, (offGridTimeCounts.get(minute) ?? 0) + 1);
    }
    if (r & BAD_REASONS) {
      flags[i] = HEALTH_FLAG.bad;
      badBars++;
    } else if (r !== 0) {
      flags[i] = HEALTH_FLAG.suspect;
      suspectBars++;
      if (r & SCORED_SUSPECT_REASONS) scoredSuspect++;
    }
  }

  const expectedRows = n + missingBars;
  const { score, verdict } = scoreHealth(n, missingBars, badBars, scoredSuspect);

  return {
    summary: {
      version: HEALTH_REPORT_VERSION,
      rows: n,
      expectedRows,
      missingBars,
      gapCount,
      largestGaps,
      zeroVolumeBars,
      missingVolumeBars,
      spikes,
      badTicks,
      flatBars,
      invalidBars,
      offGridBars,
      incompleteFirst,
      incompleteLast,
      sessionsDetected: sessions.sessionsDetected,
      weekendGapsExpected: sessions.weekendClosed,
      activeFraction: sessions.activeFraction,
      spikeThreshold: k,
      robustSigma,
      suspectBars,
      badBars,
      ...countCategories(reasons),
      calendar,
      calendarSource: chosen.source,
      closures,
      offGridTimes: topTimesOfDay(offGridTimeCounts),
      score,
      verdict,
    },
    flags,
    reasons,
    context: { originMs: origin, sessions, calendar, calendarSource: chosen.source },
  };
}

/** The commonest times of day (by minute of the day, counted) as HH:MM, most first. */
export function topTimesOfDay(countsByMinute: ReadonlyMap<number, number>, limit = 3): { time: string; count: number }[] {
  return [...countsByMinute]
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, limit)
    .map(([minute, count]) => ({ time: `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`, count }));
}

/** Whether a Saturday or Sunday (UTC) lies between two open times. */
function spansWeekend(fromMs: number, toMs: number): boolean {
  const last = Math.floor(toMs / DAY_MS);
  for (let d = Math.floor(fromMs / DAY_MS); d <= last; d++) {
    const wd = (((d + 4) % 7) + 7) % 7;
    if (wd === 0 || wd === 6) return true;
  }
  return false;
}

/** Marks spikes and bad ticks (rules in the module header); returns their counts and global σ. */
function markSpikes(
  cols: OhlcvColumns,
  missingBefore: Float64Array,
  reasons: Uint16Array,
  k: number,
): { spikes: number; badTicks: number; robustSigma: number } {
  const { open, high, low, close } = cols;
  const n = close.length;
  // ret[i]: scaled log return into candle i (NaN when either close is unusable).
  const ret = new Float64Array(n);
  ret[0] = NaN;
  const scratch = new Float64Array(n);
  let m = 0;
  for (let i = 1; i < n; i++) {
    const missing = missingBefore[i]!;
    // Dividing by √1 would change nothing: the square root is taken only across a gap.
    const r = missing === 0 ? Math.log(close[i]! / close[i - 1]!) : Math.log(close[i]! / close[i - 1]!) / Math.sqrt(1 + missing);
    const usable = Number.isFinite(r) && !(reasons[i]! & HEALTH_REASON.invalidOhlc) && !(reasons[i - 1]! & HEALTH_REASON.invalidOhlc);
    ret[i] = usable ? r : NaN;
    if (usable) scratch[m++] = r;
  }
  const globalSigma = m > 0 ? fastRobustSigma(scratch, m, new Float64Array(m)) : 0;
  if (!(globalSigma > 0)) return { spikes: 0, badTicks: 0, robustSigma: m > 0 ? globalSigma : 0 };

  // Local σ per block; a short last block joins the one before it.
  const blocks = Math.max(1, Math.floor(n / SCALE_BLOCK));
  const blockSigma = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const from = b * SCALE_BLOCK;
    const to = b === blocks - 1 ? n : from + SCALE_BLOCK;
    let c = 0;
    for (let i = from; i < to; i++) if (!Number.isNaN(ret[i]!)) scratch[c++] = ret[i]!;
    const s = c >= 16 ? robustSigmaInPlace(scratch, c) : globalSigma;
    blockSigma[b] = Math.max(s, LOCAL_SCALE_FLOOR * globalSigma);
  }
  const sigmaAt = (i: number): number => blockSigma[Math.min(blocks - 1, Math.floor(i / SCALE_BLOCK))]!;

  let spikes = 0;
  let badTicks = 0;
  for (let b = 0; b < blocks; b++) {
    const sigma = blockSigma[b]!;
    const limit = k * sigma;
    // A wick ratio under exp(limit)·(1 − 1e-9) has a log at least 1e-9 under the limit, far more
    // than the rounding of exp and log (an ulp or two): such a candle is no wick spike, and its two
    // logarithms, most of this loop's time, are skipped. Other candles take the rule's own path.
    const wickRatioBound = limit < 700 ? Math.exp(limit) * (1 - 1e-9) : 0;
    const to = b === blocks - 1 ? n : (b + 1) * SCALE_BLOCK;
    for (let i = b * SCALE_BLOCK; i < to; i++) {
      if (reasons[i]! & HEALTH_REASON.invalidOhlc) continue;
      const r = ret[i]!;
      const bodyTop = Math.max(open[i]!, close[i]!);
      const bodyBottom = Math.min(open[i]!, close[i]!);
      const returnSpike = Math.abs(r) > limit;
      const ordinaryWicks = high[i]! / bodyTop < wickRatioBound && bodyBottom / low[i]! < wickRatioBound;
      if (returnSpike || (!ordinaryWicks && Math.max(Math.log(high[i]! / bodyTop), Math.log(bodyBottom / low[i]!)) > limit)) {
        reasons[i]! |= HEALTH_REASON.spike;
        spikes++;
      }
      if (returnSpike && i + 1 < n) {
        const next = ret[i + 1]!;
        const before = i > 0 ? ret[i - 1]! : NaN;
        const after = i + 2 < n ? ret[i + 2]! : NaN;
        // A missing neighbour (series edge, invalid candle) counts as ordinary.
        const quiet = (x: number): boolean => !(Math.abs(x) > (k / 2) * sigma);
        if (next * r < 0 && Math.abs(next) > k * sigmaAt(i + 1) && Math.abs(r + next) < 0.25 * Math.abs(r) && quiet(before) && quiet(after)) {
          reasons[i]! |= HEALTH_REASON.badTick;
          badTicks++;
        }
      }
    }
  }
  return { spikes, badTicks, robustSigma: globalSigma };
}

/**
 * Whether volume `v` is surely not under 2 % of the median volume, without selecting the median:
 * when more than half of the volumes (≥ 0) are at most t = 50·v·(1 − 1e-9), the median is at most
 * t (both middles are), so 2 % of it is under v by far more than rounding. False means "not proven":
 * the caller then takes the median. A full selection over every bar is thus paid only when an
 * edge bar is thin or its volume is 0, negative or not finite.
 */
function surelyNotThin(volume: Float64Array, v: number): boolean {
  const t = 50 * v * (1 - 1e-9);
  // Far from the subnormal range, where a product keeps too few bits for the 1e-9 margin.
  if (!(v > 1e-290) || !Number.isFinite(t)) return false;
  let atMost = 0;
  let counted = 0;
  for (let j = 0; j < volume.length; j++) {
    const x = volume[j]!;
    if (!(x >= 0)) continue;
    counted++;
    if (x <= t) atMost++;
  }
  return atMost > counted >>> 1;
}

/** Marks the first and last candle when they look partial (rules in the module header). */
function markIncomplete(
  cols: OhlcvColumns,
  tf: number,
  reasons: Uint16Array,
  nowMs: EpochMs | undefined,
): { incompleteFirst: boolean; incompleteLast: boolean } {
  const { ts, volume } = cols;
  const n = ts.length;
  if (n === 0) return { incompleteFirst: false, incompleteLast: false };
  let medianVolume: number | undefined;
  const thin = (i: number): boolean => {
    if (medianVolume === undefined && !surelyNotThin(volume, volume[i]!)) {
      const scratch = new Float64Array(n);
      let m = 0;
      for (let j = 0; j < n; j++) if (volume[j]! >= 0) scratch[m++] = volume[j]!;
      medianVolume = medianInPlace(scratch, m);
    }
    return medianVolume !== undefined && medianVolume > 0 && volume[i]! < INCOMPLETE_VOLUME_SHARE * medianVolume;
  };
  const offGrid = (i: number): boolean => (reasons[i]! & HEALTH_REASON.offGrid) !== 0;

  const incompleteFirst = n > 1 && (offGrid(0) || thin(0));
  const incompleteLast = (n > 1 && (offGrid(n - 1) || thin(n - 1))) || (nowMs !== undefined && ts[n - 1]! + tf > nowMs);
  if (incompleteFirst) reasons[0]! |= HEALTH_REASON.incomplete;
  if (incompleteLast) reasons[n - 1]! |= HEALTH_REASON.incomplete;
  return { incompleteFirst, incompleteLast };
}
