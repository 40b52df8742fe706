import { BAD_REASON_BITS, HEALTH_FLAG, HEALTH_REASON, SCORED_SUSPECT_REASON_BITS, scoreHealth, type HealthGap, type HealthReport, type HealthSummary } from './healthReport.js';

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
 * dataset of any length is checked in bounded memory. Counts, gaps and flags are exact; the
 * spike rule's robust σ is each block's own (a block is ~1M bars, long enough for a stable σ),
 * and the summary's σ is the row-weighted mean. Score and verdict follow `scoreHealth`.
 */
export function mergeHealthParts(parts: readonly HealthPart[]): { summary: HealthSummary; flags: Uint8Array } {
  let rows = 0;
  let missingBars = 0;
  let gapCount = 0;
  const gaps: HealthGap[] = [];
  const c = { zeroVolume: 0, missingVolume: 0, spike: 0, badTick: 0, flat: 0, invalid: 0, offGrid: 0, suspect: 0, bad: 0, scoredSuspect: 0 };
  let sigmaWeighted = 0;
  let activeWeighted = 0;
  const flagChunks: Uint8Array[] = [];
  for (const { report, overlapsPrevious } of parts) {
    const from = overlapsPrevious ? 1 : 0;
    const n = report.reasons.length - from;
    if (n <= 0) continue;
    rows += n;
    missingBars += report.summary.missingBars;
    gapCount += report.summary.gapCount;
    gaps.push(...report.summary.largestGaps);
    sigmaWeighted += report.summary.robustSigma * n;
    activeWeighted += report.summary.activeFraction * n;
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
    flagChunks.push(report.flags.subarray(from));
  }
  const flags = new Uint8Array(rows);
  let at = 0;
  for (const f of flagChunks) {
    flags.set(f, at);
    at += f.length;
  }
  gaps.sort((a, b) => b.missingBars - a.missingBars);
  const first = parts[0]?.report.summary;
  const last = parts[parts.length - 1]?.report.summary;
  const { score, verdict } = scoreHealth(rows, missingBars, c.bad, c.scoredSuspect);
  return {
    summary: {
      rows,
      expectedRows: rows + missingBars,
      missingBars,
      gapCount,
      largestGaps: gaps.slice(0, MAX_LISTED_GAPS),
      zeroVolumeBars: c.zeroVolume,
      missingVolumeBars: c.missingVolume,
      spikes: c.spike,
      badTicks: c.badTick,
      flatBars: c.flat,
      invalidBars: c.invalid,
      offGridBars: c.offGrid,
      incompleteFirst: first?.incompleteFirst ?? false,
      incompleteLast: last?.incompleteLast ?? false,
      sessionsDetected: parts.some((p) => p.report.summary.sessionsDetected),
      weekendGapsExpected: parts.some((p) => p.report.summary.weekendGapsExpected),
      activeFraction: rows ? activeWeighted / rows : 1,
      spikeThreshold: first?.spikeThreshold ?? 8,
      robustSigma: rows ? sigmaWeighted / rows : 0,
      suspectBars: c.suspect,
      badBars: c.bad,
      score,
      verdict,
    },
    flags,
  };
}

export { HEALTH_FLAG };
