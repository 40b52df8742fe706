/**
 * Which bar slots of the week a market trades in, learnt from the data itself.
 *
 * Crypto trades 24/7; stocks trade on weekdays (and intraday only in session hours); forex
 * closes from Friday evening to Sunday evening. A data-health check must not count a closed
 * market's weekends as missing bars, and cannot ship a calendar for every venue, so it reads the
 * pattern from the series: the week is cut into slots of one bar, and a slot is expected only if
 * the series fills it in most weeks.
 *
 * For each slot s: r_s = (bars seen in s) / (times s occurs between the first and last bar), and
 * r_max = max_s r_s. A slot is
 *   - active (a bar is expected)         if r_s ≥ 0.6 · r_max,
 *   - closed (no bar expected)           if r_s ≤ 0.1 · r_max,
 *   - optional (neither)                 otherwise: e.g. the hour that daylight-saving time moves
 *                                         in and out of a stock session, or sparse pre-market.
 * The market is deemed to have sessions only if closed slots make up at least 5 % of the week
 * and every slot occurred at least 3 times: fewer weeks cannot tell a weekly habit from an
 * outage, and a 24/7 market with scattered random gaps never has 5 % of its week always empty.
 * Otherwise every slot is active.
 *
 * Limits: a market whose sessions change over the series (e.g. new trading hours) is judged on its
 * dominant pattern.
 *
 * Which calendar a series follows (`chooseCalendar`), in this order:
 *   - 'fx' when the symbol is a currency pair (two ISO 4217 codes, e.g. EURUSD, EUR/USD, GBPJPY.m,
 *     XAUUSD) and the data does not trade on Saturdays; the symbol is trusted even where the series
 *     is too short to learn its sessions from;
 *   - 'continuous' (crypto, 24/7) when no weekly sessions are found: every bar is expected;
 *   - 'fx' when the market closes on weekends and, on intraday bars, trades around the clock from
 *     Tuesday to Thursday (≥ 90 % of those slots active): spot FX and the futures that trade like it;
 *   - 'nyse' when the market closes on weekends and the series has no bar on at least two thirds of
 *     the NYSE's full-day closures within its span: the data itself confirms the US calendar;
 *   - 'sessions' otherwise: the weekly pattern alone, holidays still counted as missing bars (a
 *     non-US exchange, whose calendar is not built in, or a market with daily breaks but open on
 *     weekends).
 * The calendars themselves are in `calendars.ts`.
 */
import { closedDays, nyseHolidays } from './calendars.js';

export const WEEK_MS = 604_800_000;
const DAY_MS = 86_400_000;
/** 1970-01-05T00:00:00Z, the first Monday after the epoch: slot 0 of a week starts on Monday. */
export const FIRST_MONDAY_MS = 4 * DAY_MS;

const ACTIVE_RATIO = 0.6;
const CLOSED_RATIO = 0.1;
const MIN_CLOSED_FRACTION = 0.05;
const MIN_WEEKS = 3;

/** The bar grid of a series: bar k opens at `originMs + k · timeframeMs`. */
export interface BarGrid {
  readonly originMs: number;
  readonly timeframeMs: number;
}

/** Expected-bar pattern over the week (or a trivial one-slot pattern when there are no sessions). */
export interface SessionPattern {
  readonly sessionsDetected: boolean;
  /** Slots per period; 1 when every bar is expected. */
  readonly slots: number;
  /** 1 where a bar is expected in the slot. */
  readonly active: Uint8Array;
  /** prefix[s] = active slots before slot s; prefix[slots] = active slots per period. */
  readonly prefix: Uint32Array;
  /** Closed slots that fall on Saturday or Sunday (UTC). */
  readonly weekendClosed: boolean;
  /** Share of the week's slots where a bar is expected (1 without sessions). */
  readonly activeFraction: number;
}

function pattern(active: Uint8Array, sessionsDetected: boolean, weekendClosed: boolean): SessionPattern {
  const prefix = new Uint32Array(active.length + 1);
  for (let s = 0; s < active.length; s++) prefix[s + 1] = prefix[s]! + active[s]!;
  return { sessionsDetected, slots: active.length, active, prefix, weekendClosed, activeFraction: prefix[active.length]! / active.length };
}

/** Every bar expected: the pattern of a 24/7 market. */
export const ALWAYS_OPEN: SessionPattern = pattern(Uint8Array.of(1), false, false);

/**
 * Learns the weekly pattern from bar indices `k` (bar k opens at grid origin + k · timeframe;
 * the origin is a Monday 00:00 UTC shifted by the grid's phase, so k mod slots is the slot).
 */
export function detectSessions(barIndex: Float64Array, grid: BarGrid): SessionPattern {
  const tf = grid.timeframeMs;
  if (tf > DAY_MS || WEEK_MS % tf !== 0 || barIndex.length < 2) return ALWAYS_OPEN;
  const slots = WEEK_MS / tf;
  const first = barIndex[0]!;
  const last = barIndex[barIndex.length - 1]!;
  const span = last - first + 1;
  if (Math.floor(span / slots) < MIN_WEEKS) return ALWAYS_OPEN;

  const seen = new Uint32Array(slots);
  // Slots follow from the previous one for sorted bars (a floating-point % per bar cost more than the rest of this function).
  let slot = mod(first, slots);
  seen[slot]!++;
  for (let i = 1; i < barIndex.length; i++) {
    const step = barIndex[i]! - barIndex[i - 1]!;
    if (step >= 0 && step < slots) slot = slot + step < slots ? slot + step : slot + step - slots;
    else slot = mod(barIndex[i]!, slots);
    seen[slot]!++;
  }
  // Occurrences of slot s in [first, last]: whole weeks, plus one if s lies in the partial week.
  const whole = Math.floor(span / slots);
  const partialFrom = mod(first, slots);
  const partialLength = span - whole * slots;
  const ratio = new Float64Array(slots);
  let maxRatio = 0;
  for (let s = 0; s < slots; s++) {
    const occurs = whole + (mod(s - partialFrom, slots) < partialLength ? 1 : 0);
    ratio[s] = seen[s]! / occurs;
    if (ratio[s]! > maxRatio) maxRatio = ratio[s]!;
  }

  const active = new Uint8Array(slots);
  let closed = 0;
  let weekendClosed = false;
  const phase = mod(grid.originMs - FIRST_MONDAY_MS, WEEK_MS);
  for (let s = 0; s < slots; s++) {
    if (ratio[s]! >= ACTIVE_RATIO * maxRatio) active[s] = 1;
    else if (ratio[s]! <= CLOSED_RATIO * maxRatio) {
      closed++;
      const dayOfWeek = Math.floor(mod(phase + s * tf, WEEK_MS) / DAY_MS); // 0 = Monday
      if (dayOfWeek >= 5) weekendClosed = true;
    }
  }
  if (closed < MIN_CLOSED_FRACTION * slots) return ALWAYS_OPEN;
  return pattern(active, true, weekendClosed);
}

/** Expected bars with index < k (k may be negative: bars before 1970). */
export function expectedBefore(p: SessionPattern, k: number): number {
  const period = Math.floor(k / p.slots);
  return period * p.prefix[p.slots]! + p.prefix[k - period * p.slots]!;
}

function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

/** Which closures a series is judged by (see the module header). */
export type MarketCalendar = 'continuous' | 'sessions' | 'nyse' | 'fx';
/** How the calendar was chosen: given by the caller, read from the symbol, or learnt from the data. */
export type CalendarSource = 'option' | 'symbol' | 'data';

/** ISO 4217 codes of the currencies and metals that spot FX brokers quote. */
const FX_CODES = new Set(
  'USD EUR JPY GBP CHF AUD NZD CAD SEK NOK DKK PLN HUF CZK TRY ZAR MXN SGD HKD CNH CNY RUB ILS THB INR KRW TWD BRL CLP XAU XAG XPT XPD'.split(' '),
);

/**
 * A currency pair: two codes, optionally split by / _ - or a space, after an optional venue prefix
 * ("OANDA:EUR_USD") and before an optional broker suffix (".m", "#", lower-case "m", "pro").
 * "EURUSDT" (a crypto stablecoin pair) is not one: its suffix is upper-case and unseparated.
 */
export function isFxPairSymbol(symbol: string): boolean {
  const bare = symbol.trim().replace(/^[A-Za-z0-9]+:/, '');
  const m = /^([A-Za-z]{3})[/_\- ]?([A-Za-z]{3})(?:[.#][A-Za-z0-9]*|[a-z]{1,3})?$/.exec(bare);
  if (!m) return false;
  const base = m[1]!.toUpperCase();
  const quote = m[2]!.toUpperCase();
  return base !== quote && FX_CODES.has(base) && FX_CODES.has(quote);
}

/**
 * Where the exchange's calendar day starts, in ms after 00:00 UTC: day d spans
 * [d · 1 day + shift, (d + 1) · 1 day + shift).
 */
export function exchangeDayShiftMs(calendar: MarketCalendar, timeframeMs: number): number {
  // Daily bars are stamped with their date at 00:00 UTC (or the exchange's midnight, a few hours
  // later); intraday US bars are on New York time, UTC−5 or −4: shifting by 5 h puts the whole
  // extended session (04:00–20:00 ET) on its own date whether daylight saving is on or not. FX
  // files are in the broker's clock, which is taken as is.
  return calendar === 'nyse' && timeframeMs < DAY_MS ? 5 * 3_600_000 : 0;
}

/** The exchange-local calendar day (a day number) a bar belongs to. */
export function exchangeDay(calendar: MarketCalendar, timeframeMs: number, ts: number): number {
  return Math.floor((ts - exchangeDayShiftMs(calendar, timeframeMs)) / DAY_MS);
}

const FX_WEEKDAY_ACTIVE = 0.9;
const NYSE_EVIDENCE = 2 / 3;

/**
 * Chooses the calendar of a series (rules in the module header). `ts` are the candles' open times,
 * sorted; `pattern` is what `detectSessions` learnt from them.
 */
export function chooseCalendar(ts: Float64Array, grid: BarGrid, pattern: SessionPattern, symbol?: string): { calendar: MarketCalendar; source: CalendarSource } {
  const n = ts.length;
  if (n < 2) return { calendar: 'continuous', source: 'data' };
  if (symbol !== undefined && isFxPairSymbol(symbol) && !tradesOnSaturdays(ts)) return { calendar: 'fx', source: 'symbol' };
  if (!pattern.sessionsDetected) return { calendar: 'continuous', source: 'data' };
  if (!pattern.weekendClosed) return { calendar: 'sessions', source: 'data' };
  const tf = grid.timeframeMs;
  if (tf < DAY_MS && pattern.slots > 1) {
    const phase = mod(grid.originMs - FIRST_MONDAY_MS, WEEK_MS);
    let midweek = 0;
    let active = 0;
    for (let s = 0; s < pattern.slots; s++) {
      const dayOfWeek = Math.floor(mod(phase + s * tf, WEEK_MS) / DAY_MS); // 0 = Monday
      if (dayOfWeek >= 1 && dayOfWeek <= 3) {
        midweek++;
        active += pattern.active[s]!;
      }
    }
    if (midweek > 0 && active >= FX_WEEKDAY_ACTIVE * midweek) return { calendar: 'fx', source: 'data' };
  }
  const firstDay = exchangeDay('nyse', tf, ts[0]!);
  const lastDay = exchangeDay('nyse', tf, ts[n - 1]!);
  const holidays = closedDays(nyseHolidays, new Date(ts[0]!).getUTCFullYear(), new Date(ts[n - 1]!).getUTCFullYear());
  const traded = new Set<number>();
  for (let i = 0; i < n; i++) traded.add(exchangeDay('nyse', tf, ts[i]!));
  let inSpan = 0;
  let closed = 0;
  for (const d of holidays) {
    if (d <= firstDay || d >= lastDay) continue;
    inSpan++;
    if (!traded.has(d)) closed++;
  }
  if (inSpan > 0 && closed >= NYSE_EVIDENCE * inSpan) return { calendar: 'nyse', source: 'data' };
  return { calendar: 'sessions', source: 'data' };
}

/** Bars on more than half of the Saturdays (UTC) the series spans: a market open on weekends. */
function tradesOnSaturdays(ts: Float64Array): boolean {
  const first = Math.floor(ts[0]! / DAY_MS);
  const last = Math.floor(ts[ts.length - 1]! / DAY_MS);
  let saturdays = 0;
  for (let d = first + 1; d < last; d++) if (mod(d + 4, 7) === 6) saturdays++;
  if (saturdays === 0) return false;
  const seen = new Set<number>();
  for (let i = 0; i < ts.length; i++) {
    const d = Math.floor(ts[i]! / DAY_MS);
    if (mod(d + 4, 7) === 6) seen.add(d);
  }
  return seen.size > saturdays / 2;
}
