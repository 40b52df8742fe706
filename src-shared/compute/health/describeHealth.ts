/**
 * The words of a health report: one breakdown, rendered by the UI panel and printed by
 * `candela health`, so the two cannot disagree. Every count comes with a line saying what it
 * counts; the suspect and bad breakdowns list each category with candles in it, and add up to
 * their totals (each candle is counted under its first reason, see `healthReport.ts`).
 */
import { BAD_CATEGORIES, HEALTH_SCORING_RULE, SUSPECT_CATEGORIES } from './healthReport.js';
import type { BadCategory, HealthSummary, SuspectCategory } from './healthReport.js';
import type { CalendarSource, MarketCalendar } from './sessions.js';
import { formatCount } from '../../domain/formatCount.js';

/** "1 bar", "2 bars", "1,204 bars". */
export function pluralize(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export interface HealthLine {
  /** Stable key (a summary field or category name), for tests and React keys. */
  readonly key: string;
  readonly label: string;
  readonly value: string;
  /** What the count means, in one line. */
  readonly explanation: string;
  /** A part of the line before it (a breakdown row). */
  readonly part?: boolean;
}

export interface HealthDescription {
  /** "99 / 100 · suspect". */
  readonly headline: string;
  readonly rule: string;
  readonly lines: HealthLine[];
}

const CALENDAR_NAME: Record<MarketCalendar, string> = {
  continuous: '24/7',
  sessions: 'Learnt session hours',
  nyse: 'NYSE (US equities)',
  fx: 'FX',
};

const CALENDAR_TEXT: Record<MarketCalendar, string> = {
  continuous: 'every bar is expected, every day around the clock (crypto)',
  sessions: 'weekly hours learnt from the data: weekends and daily breaks are closures, holidays count as gaps (no calendar is built in for this market)',
  nyse: 'weekends, NYSE holidays (Rule 7.2) and overnight breaks are closures',
  fx: 'the weekend (Friday evening to Sunday evening, in the file’s clock), Christmas and New Year’s Day are closures',
};

const SOURCE_TEXT: Record<CalendarSource, string> = {
  data: 'chosen from the data',
  symbol: 'chosen from the symbol, a currency pair',
  option: 'set explicitly',
};

function suspectExplanation(c: SuspectCategory, s: HealthSummary): string {
  switch (c) {
    case 'spike':
      return `a close-to-close move or a wick beyond ${s.spikeThreshold} robust σ of the local volatility`;
    case 'offGrid': {
      const at = s.offGridTimes.length ? ` (most at ${s.offGridTimes.map((t) => `${t.time} UTC`).join(', ')})` : '';
      return `opens between the slots of the bar grid${at}, or shares a slot with another candle; a broker's daily rollover pause shifts bars like this`;
    }
    case 'incomplete':
      return 'the first or last bar looks partial: off the grid, volume under 2 % of the median, or its period had not ended';
    case 'missingVolume':
      return 'no volume in the file';
    case 'zeroVolume':
      return 'volume 0: nothing traded, or the source filled the bar in';
    case 'flat':
      return 'open = high = low = close';
    case 'gapBefore':
      return 'the candle itself looks fine, but the bars just before it are missing (see the gaps)';
  }
}

const SUSPECT_LABEL: Record<SuspectCategory, string> = {
  spike: 'Price spikes',
  offGrid: 'Off the bar grid',
  incomplete: 'Incomplete first/last bar',
  missingVolume: 'Missing volume',
  zeroVolume: 'Zero volume',
  flat: 'Flat bars',
  gapBefore: 'First candle after a gap',
};

const BAD_LABEL: Record<BadCategory, string> = { invalidOhlc: 'Invalid OHLC', badTick: 'Bad ticks' };
const BAD_EXPLANATION: Record<BadCategory, string> = {
  invalidOhlc: 'a price ≤ 0 or not a number, high below open/close, low above them, or negative volume',
  badTick: 'a spike undone by the very next bar while the bars around are quiet: a wrong print',
};

function closuresValue(s: HealthSummary): string {
  const { weekends, holidays, daily } = s.closures;
  const parts = [pluralize(weekends, 'weekend'), pluralize(holidays, 'holiday')];
  if (daily > 0 || s.calendar === 'sessions') parts.push(pluralize(daily, 'daily break'));
  return parts.join(' · ');
}

/** The breakdown of a report summary, in display order. */
export function describeHealth(s: HealthSummary): HealthDescription {
  const lines: HealthLine[] = [
    { key: 'rows', label: 'Candles', value: formatCount(s.rows), explanation: 'rows in the dataset' },
    {
      key: 'expectedRows',
      label: 'Expected over the span',
      value: formatCount(s.expectedRows),
      explanation: 'bars the market calendar expects from the first candle to the last: candles + missing bars',
    },
    {
      key: 'missingBars',
      label: 'Missing bars',
      value: s.missingBars === 0 ? '0' : `${formatCount(s.missingBars)} in ${pluralize(s.gapCount, 'gap')}`,
      explanation: 'expected bars the file lacks while the market was open',
    },
    {
      key: 'calendar',
      label: 'Market calendar',
      value: CALENDAR_NAME[s.calendar],
      explanation: `${CALENDAR_TEXT[s.calendar]}; ${SOURCE_TEXT[s.calendarSource]}`,
    },
    {
      key: 'closures',
      label: 'Closures (weekends/holidays), not gaps',
      value: s.calendar === 'continuous' ? 'none (24/7)' : closuresValue(s),
      explanation: 'breaks between candles while the market was closed: not counted as missing bars',
    },
    { key: 'suspectBars', label: 'Suspect candles', value: formatCount(s.suspectBars), explanation: 'candles to look at before trusting them; each counted once, under its first reason:' },
  ];
  for (const c of SUSPECT_CATEGORIES) {
    const n = s.suspectByReason[c];
    if (n > 0) lines.push({ key: c, label: SUSPECT_LABEL[c], value: formatCount(n), explanation: suspectExplanation(c, s), part: true });
  }
  lines.push({ key: 'badBars', label: 'Bad candles', value: formatCount(s.badBars), explanation: `candles that cannot be right${s.badBars > 0 ? '; each counted once, under its first reason:' : ''}` });
  for (const c of BAD_CATEGORIES) {
    const n = s.badByReason[c];
    if (n > 0) lines.push({ key: c, label: BAD_LABEL[c], value: formatCount(n), explanation: BAD_EXPLANATION[c], part: true });
  }
  lines.push({
    key: 'complete',
    label: 'First / last bar complete',
    value: `${s.incompleteFirst ? 'first looks incomplete' : 'first ok'} · ${s.incompleteLast ? 'last looks incomplete' : 'last ok'}`,
    explanation: 'a partial bar at either end of an export',
  });
  return { headline: `${Math.round(s.score)} / 100 · ${s.verdict}`, rule: HEALTH_SCORING_RULE, lines };
}

/** "1 bar missing", "12 bars missing". */
export function missingBarsText(n: number): string {
  return `${pluralize(n, 'bar')} missing`;
}
