/**
 * Signal quality and regimes of a finished run, from its saved test predictions and the candles
 * at the run's timeframe. All statistics come from `src-shared/compute/analytics`; this module
 * only lines the test samples up with their symbol's bars.
 *
 * Choices, each the simplest that keeps the labels look-ahead-free (`marketRegimes` in compute):
 * - score = P(UP) − P(DOWN), forward return = ln(close_{t+h} / close_t) from the sample's bar,
 *   h the run's label horizon (the decay uses 1…4 × h);
 * - volatility terciles of the trailing 20-bar log-return volatility, cut points fitted per symbol
 *   on its bars before its first test sample (volatility scales differ across assets);
 * - trend: the trailing 20-bar return against a band of ±(median training volatility × √20), the
 *   size of a typical 20-bar move of that symbol, so the band means the same on 5-minute and daily bars;
 * - optionally a 2- or 3-state Gaussian HMM of log returns fitted on the same bars, filtered (never
 *   smoothed) over the test period.
 */
import { ContractFailure } from '../../src-shared/contract/result.js';
import { runAnalyticsSchema, type RunAnalytics } from '../../src-shared/contract/evaluation.js';
import { finiteJson } from '../../src-shared/domain/finite.js';
import { timeframeToMs } from '../../src-shared/domain/timeframe.js';
import {
  accuracyByRegime,
  forwardReturns,
  HMM_REGIMES,
  icByGroup,
  icByMonth,
  icDecay,
  informationCoefficient,
  marketRegimes,
  predictionBias,
  REGIME_UNKNOWN,
  TREND_REGIMES,
  VOLATILITY_REGIMES,
  type RegimeAccuracyRow,
} from '../../src-shared/compute/analytics/index.js';
import { majorityClassBaseline } from '../../src-shared/compute/metrics/baselines.js';
import type { Db } from '../db/connection.js';
import { closesOf } from '../db/queries/evaluations.js';
import { persistenceClasses, readFinishedRun } from './evaluateRun.js';

export const VOLATILITY_LOOKBACK = 20;
export const TREND_LOOKBACK = 20;
const DECAY_MULTIPLES = [1, 2, 3, 4];

/** Index of `t` in ascending `ts`, or −1. */
function indexOf(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! === t) return mid;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The test samples lined up with their bars: score, forward log returns and regime labels per sample. */
export interface SampleSignals {
  runId: number;
  horizon: number;
  horizons: number[];
  preds: Awaited<ReturnType<typeof readFinishedRun>>['preds'];
  /** P(UP) − P(DOWN) per sample. */
  score: Float64Array;
  /** The magnitude head's predicted forward log return per sample, for a run with one. */
  magnitude: Float64Array | null;
  /** forward[m][i]: ln(close_{t+h_m} / close_t) of sample i, NaN past the data's end. */
  forward: Float64Array[];
  calledUp: Uint8Array;
  wentUp: Uint8Array;
  correct: Uint8Array;
  majorityCorrect: Uint8Array;
  /** 1 where the persistence baseline (the move into the bar repeats) is right; counted only where `persistenceDefined`. */
  persistenceCorrect: Uint8Array;
  persistenceDefined: Uint8Array;
  labels: { volatility: Int8Array; trend: Int8Array; hmm: Int8Array | null };
  thresholds: RunAnalytics['regimes']['volatility']['thresholds'];
  hmmReasons: string[];
}

/**
 * Lines every test sample up with its symbol's bars at the run's timeframe: the score, forward
 * returns over 1…4 × the horizon and each regime's label at the sample's bar (fitted per symbol on
 * the bars before its first test sample).
 */
export async function sampleSignals(db: Db, runId: number, hmmStates: 2 | 3 | null = null): Promise<SampleSignals> {
  const { run, preds, prep } = await readFinishedRun(db, runId);
  const classes = preds.classNames.map((c) => c.toUpperCase());
  const up = classes.indexOf('UP');
  const down = classes.indexOf('DOWN');
  if (up < 0 || down < 0) throw new ContractFailure('CONFLICT', `Run ${runId} predicts ${preds.classNames.join('/')}; signal quality needs UP and DOWN classes.`);
  const n = preds.yTrue.length;
  const k = preds.classNames.length;
  const horizon = Math.max(1, Number(prep.spec.horizon ?? 1));
  const horizons = DECAY_MULTIPLES.map((m) => m * horizon);

  const score = new Float64Array(n);
  const calledUp = new Uint8Array(n);
  const wentUp = new Uint8Array(n);
  const correct = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (preds.probs[i * k + c]! > preds.probs[i * k + best]!) best = c;
    score[i] = preds.probs[i * k + up]! - preds.probs[i * k + down]!;
    calledUp[i] = best === up ? 1 : 0;
    wentUp[i] = preds.yTrue[i] === up ? 1 : 0;
    correct[i] = best === preds.yTrue[i] ? 1 : 0;
  }
  // The same majority class as the evaluation report's baseline: the test set's most frequent.
  const majority = majorityClassBaseline(preds.yTrue, k)?.classId ?? -1;
  const majorityCorrect = Uint8Array.from(preds.yTrue, (y) => (y === majority ? 1 : 0));
  // The evaluation report's persistence baseline, sample by sample.
  const prevClass = persistenceClasses(db, run, preds, prep);
  const persistenceDefined = Uint8Array.from(prevClass, (c) => (c >= 0 ? 1 : 0));
  const persistenceCorrect = Uint8Array.from(prevClass, (c, i) => (c >= 0 && c === preds.yTrue[i] ? 1 : 0));

  const forward = horizons.map(() => new Float64Array(n).fill(Number.NaN));
  const volLabel = new Int8Array(n).fill(REGIME_UNKNOWN);
  const trendLabel = new Int8Array(n).fill(REGIME_UNKNOWN);
  const hmmLabel = hmmStates ? new Int8Array(n).fill(REGIME_UNKNOWN) : null;
  const hmmReasons: string[] = [];
  const thresholds: SampleSignals['thresholds'] = [];
  const timeframeMs = timeframeToMs(run.timeframe) ?? undefined;
  prep.datasetIds.forEach((datasetId, s) => {
    const { ts, close } = closesOf(db, datasetId, timeframeMs);
    const bar = new Int32Array(n).fill(-1);
    let firstTest = Infinity;
    for (let i = 0; i < n; i++) {
      if (preds.symbolIndex[i] !== s) continue;
      bar[i] = indexOf(ts, preds.ts[i]!);
      if (bar[i]! >= 0) firstTest = Math.min(firstTest, bar[i]!);
    }
    const symbol = preds.symbols[s] ?? String(s);
    if (!Number.isFinite(firstTest)) {
      thresholds.push({ symbol, lower: null, upper: null, trainingBars: 0 });
      return;
    }
    const fwd = horizons.map((h) => forwardReturns(close, h));
    const regimes = marketRegimes(close, firstTest, { volatilityLookback: VOLATILITY_LOOKBACK, trendLookback: TREND_LOOKBACK, hmmStates });
    const vol = regimes.volatility;
    if (regimes.reasons.hmm) hmmReasons.push(`${symbol}: ${regimes.reasons.hmm}`);
    thresholds.push({ symbol, lower: vol?.thresholds.lower ?? null, upper: vol?.thresholds.upper ?? null, trainingBars: vol?.thresholds.trainingBars ?? 0 });
    for (let i = 0; i < n; i++) {
      const j = bar[i]!;
      if (j < 0) continue;
      fwd.forEach((f, m) => (forward[m]![i] = Math.log1p(f[j]!)));
      if (vol) volLabel[i] = vol.labels[j]!;
      if (regimes.trend) trendLabel[i] = regimes.trend[j]!;
      if (hmmLabel && regimes.hmm) hmmLabel[i] = regimes.hmm[j]!;
    }
  });
  const magnitude = preds.magnitude ? Float64Array.from(preds.magnitude) : null;
  return { runId, horizon, horizons, preds, score, magnitude, forward, calledUp, wentUp, correct, majorityCorrect, persistenceCorrect, persistenceDefined, labels: { volatility: volLabel, trend: trendLabel, hmm: hmmLabel }, thresholds, hmmReasons };
}

export async function runAnalytics(db: Db, runId: number, hmmStates: 2 | 3 | null = null): Promise<RunAnalytics> {
  const sig = await sampleSignals(db, runId, hmmStates);
  const { preds, score, forward, horizons, correct, majorityCorrect, persistenceCorrect, persistenceDefined, horizon } = sig;
  const n = preds.yTrue.length;
  const symbolCount = preds.symbols.length;
  const symbolName = (g: number) => preds.symbols[g] ?? String(g);

  const regimeRows = (labels: Int8Array, names: readonly string[], evaluated?: Uint8Array) => {
    const model = accuracyByRegime(labels, correct, names.length, evaluated);
    const base = accuracyByRegime(labels, majorityCorrect, names.length, evaluated);
    // Persistence has no call on a symbol's first bar: its rate counts the samples that have one.
    const withCall = evaluated ? Uint8Array.from(persistenceDefined, (d, i) => d & evaluated[i]!) : persistenceDefined;
    const persistence = accuracyByRegime(labels, persistenceCorrect, names.length, withCall);
    return model.map((r: RegimeAccuracyRow, idx) => ({
      regime: r.regime === REGIME_UNKNOWN ? 'unknown' : names[r.regime]!,
      bars: r.bars,
      accuracy: r.accuracy,
      majorityAccuracy: base[idx]!.accuracy,
      persistenceAccuracy: persistence[idx]!.accuracy,
      persistenceBars: persistence[idx]!.bars,
    }));
  };
  const regimeKind = (labels: Int8Array, names: readonly string[]) => ({
    rows: regimeRows(labels, names),
    perSymbol: preds.symbols.map((symbol, g) => ({ symbol, rows: regimeRows(labels, names, Uint8Array.from(preds.symbolIndex, (x) => (x === g ? 1 : 0))) })),
  });

  const bias = predictionBias(sig.calledUp, sig.wentUp, preds.symbolIndex, symbolCount).map((b) => ({
    symbol: symbolName(b.group),
    n: b.n,
    upCallShare: b.upCallShare,
    lower: b.interval?.lower ?? null,
    upper: b.interval?.upper ?? null,
    baseRate: b.baseRate,
    bias: b.bias,
    biased: b.biased,
  }));

  const hmmNames = hmmStates ? HMM_REGIMES[hmmStates] : null;
  const sampleTs = Float64Array.from(preds.ts);
  /** IC overall, per symbol, per month and over the decay horizons of one score. */
  const icViews = (s: Float64Array) => ({
    overall: informationCoefficient(s, forward[0]!),
    perSymbol: icByGroup(s, forward[0]!, preds.symbolIndex, symbolCount).map(({ group, ...ic }) => ({ symbol: symbolName(group), ...ic })),
    perMonth: icByMonth(s, forward[0]!, sampleTs).map(({ month, n: pairs, ic, rankIc }) => ({ month, n: pairs, ic, rankIc })),
    decay: icDecay(s, forward, horizons),
  });
  // The schema holds the payload to null where a number is undefined, never NaN.
  return runAnalyticsSchema.parse(
    finiteJson({
      runId,
      horizon,
      samples: n,
      signalQuality: { score: 'P(UP) − P(DOWN)', ...icViews(score), magnitude: sig.magnitude ? icViews(sig.magnitude) : null },
      bias,
      regimes: {
        volatility: { lookback: VOLATILITY_LOOKBACK, thresholds: sig.thresholds, ...regimeKind(sig.labels.volatility, VOLATILITY_REGIMES) },
        trend: { lookback: TREND_LOOKBACK, ...regimeKind(sig.labels.trend, TREND_REGIMES) },
        hmm:
          hmmNames && sig.labels.hmm
            ? { states: hmmStates, unfitted: sig.hmmReasons, ...regimeKind(sig.labels.hmm, hmmNames) }
            : null,
      },
    }),
  );
}
