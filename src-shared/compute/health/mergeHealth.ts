import {
  BAD_CATEGORIES,
  BAD_REASON_BITS,
  HEALTH_FLAG,
  HEALTH_REASON,
  HEALTH_REPORT_VERSION,
  SCORED_SUSPECT_REASON_BITS,
  SUSPECT_CATEGORIES,
  countCategories,
  scoreHealth,
  topTimesOfDay,
  type HealthGap,
  type HealthReport,
  type HealthSummary,
} from './healthReport.js';

const MAX_LISTED_GAPS = 10;

export interface HealthPart {
  report: HealthReport;
  /**
   * The part's first candle repeats the previous part's last one, so the gap between the two
   * blocks is seen; that candle's own checks were counted with the previous part.
   */
  overlapsPrevious: boolean;
}

/**
 * Merges the health reports of consecutive blocks of one long series into one report, so a
 * dataset of any length is checked in bounded memory: each block's report is folded in as it is
 * made and only its flags (1 byte a candle) are kept. Counts, gaps and flags are exact; the spike
 * rule's robust σ is each block's own (a block is 250k+ bars, long enough for a stable σ), and the
 * summary's σ is the row-weighted mean. Score and verdict follow `scoreHealth`. Each block chooses
 * its calendar itself; the summary names the one chosen for most rows. The off-grid times of day
 * are summed from each block's three commonest, so they can miss a time that is rare everywhere.
 */
export class HealthMerger {
  private rows = 0;
  private missingBars = 0;
  private gapCount = 0;
  private gaps: HealthGap[] = [];
  private readonly c = { zeroVolume: 0, missingVolume: 0, spike: 0, badTick: 0, flat: 0, invalid: 0, offGrid: 0, suspect: 0, bad: 0, scoredSuspect: 0 };
  private sigmaWeighted = 0;
  private activeWeighted = 0;
  private readonly flagChunks: Uint8Array[] = [];
  private first: HealthSummary | null = null;
  private last: HealthSummary | null = null;
  private sessionsDetected = false;
  private weekendGapsExpected = false;
  private readonly suspectByReason = Object.fromEntries(SUSPECT_CATEGORIES.map((c) => [c, 0])) as HealthSummary['suspectByReason'];
  private readonly badByReason = Object.fromEntries(BAD_CATEGORIES.map((c) => [c, 0])) as HealthSummary['badByReason'];
  private readonly closures = { weekends: 0, holidays: 0, daily: 0 };
  private readonly calendarRows = new Map<string, { calendar: HealthSummary['calendar']; calendarSource: HealthSummary['calendarSource']; rows: number }>();
  private readonly offGridMinutes = new Map<number, number>();

  add({ report, overlapsPrevious }: HealthPart): void {
    const from = overlapsPrevious ? 1 : 0;
    const n = report.reasons.length - from;
    if (n <= 0) return;
    const c = this.c;
    this.first ??= report.summary;
    this.last = report.summary;
    this.rows += n;
    this.missingBars += report.summary.missingBars;
    this.gapCount += report.summary.gapCount;
    this.gaps = [...this.gaps, ...report.summary.largestGaps].sort((a, b) => b.missingBars - a.missingBars).slice(0, MAX_LISTED_GAPS);
    this.sigmaWeighted += report.summary.robustSigma * n;
    this.activeWeighted += report.summary.activeFraction * n;
    this.sessionsDetected ||= report.summary.sessionsDetected;
    this.weekendGapsExpected ||= report.summary.weekendGapsExpected;
    const { suspectByReason, badByReason } = countCategories(report.reasons, from);
    for (const k of SUSPECT_CATEGORIES) this.suspectByReason[k] += suspectByReason[k];
    for (const k of BAD_CATEGORIES) this.badByReason[k] += badByReason[k];
    for (const k of ['weekends', 'holidays', 'daily'] as const) this.closures[k] += report.summary.closures[k];
    const key = `${report.summary.calendar}/${report.summary.calendarSource}`;
    const seen = this.calendarRows.get(key) ?? { calendar: report.summary.calendar, calendarSource: report.summary.calendarSource, rows: 0 };
    seen.rows += n;
    this.calendarRows.set(key, seen);
    for (const { time, count } of report.summary.offGridTimes) {
      const minute = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
      this.offGridMinutes.set(minute, (this.offGridMinutes.get(minute) ?? 0) + count);
    }
    for (let i = from; i < report.reasons.length; i++) {
      const r = report.reasons[i]!;
      if (r & HEALTH_REASON.zeroVolume) c.zeroVolume++;
      if (r & HEALTH_REASON.missingVolume) c.missingVolume++;
      if (r & HEALTH_REASON.spike) c.spike++;
      if (r & HEALTH_REASON.badTick) c.badTick++;
      if (r & HEALTH_REASON.flat) c.flat++;
      if (r & HEALTH_REASON.invalidOhlc) c.invalid++;
      if (r & HEALTH_REASON.offGrid) c.offGrid++;
      if (r & BAD_REASON_BITS) c.bad++;
      else if (r !== 0) {
        c.suspect++;
        if (r & SCORED_SUSPECT_REASON_BITS) c.scoredSuspect++;
      }
    }
    // A copy, so the block's report (and its reasons array) can be freed.
    this.flagChunks.push(report.flags.slice(from));
  }

  finish(): { summary: HealthSummary; flags: Uint8Array } {
    const { rows, missingBars, c } = this;
    const flags = new Uint8Array(rows);
    let at = 0;
    for (const f of this.flagChunks) {
      flags.set(f, at);
      at += f.length;
    }
    const { score, verdict } = scoreHealth(rows, missingBars, c.bad, c.scoredSuspect);
    const main = [...this.calendarRows.values()].sort((a, b) => b.rows - a.rows)[0];
    return {
      summary: {
        version: HEALTH_REPORT_VERSION,
        rows,
        expectedRows: rows + missingBars,
        missingBars,
        gapCount: this.gapCount,
        largestGaps: this.gaps,
        zeroVolumeBars: c.zeroVolume,
        missingVolumeBars: c.missingVolume,
        spikes: c.spike,
        badTicks: c.badTick,
        flatBars: c.flat,
        invalidBars: c.invalid,
        offGridBars: c.offGrid,
        incompleteFirst: this.first?.incompleteFirst ?? false,
        incompleteLast: this.last?.incompleteLast ?? false,
        sessionsDetected: this.sessionsDetected,
        weekendGapsExpected: this.weekendGapsExpected,
        activeFraction: rows ? this.activeWeighted / rows : 1,
        spikeThreshold: this.first?.spikeThreshold ?? 8,
        robustSigma: rows ? this.sigmaWeighted / rows : 0,
        suspectBars: c.suspect,
        badBars: c.bad,
        suspectByReason: this.suspectByReason,
        badByReason: this.badByReason,
        calendar: main?.calendar ?? 'continuous',
        calendarSource: main?.calendarSource ?? 'data',
        closures: this.closures,
        offGridTimes: topTimesOfDay(this.offGridMinutes),
        score,
        verdict,
      },
      flags,
    };
  }
}

/** {@link HealthMerger} over a list of block reports. */
export function mergeHealthParts(parts: readonly HealthPart[]): { summary: HealthSummary; flags: Uint8Array } {
  const m = new HealthMerger();
  for (const p of parts) m.add(p);
  return m.finish();
}

export { HEALTH_FLAG };
