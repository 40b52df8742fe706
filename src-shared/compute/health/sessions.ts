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
 * Limits: exchange holidays still count as missing bars (there is no calendar); a market whose
 * sessions change over the series (e.g. new trading hours) is judged on its dominant pattern.
 */

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
  for (let i = 0; i < barIndex.length; i++) seen[mod(barIndex[i]!, slots)]!++;
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
