import type { BacktestAnalytics, BacktestMetricsPayload, BacktestSummary, BacktestSymbolView, ResolvedBacktestSettings } from '../../../src-shared/contract/backtests.js';
import { backtestSettingsSchema } from '../../../src-shared/contract/backtests.js';
import type { CandleColumnsPayload, DatasetSummary, HealthSummaryPayload } from '../../../src-shared/contract/datasets.js';
import type { RunAnalytics, StoredEvaluation } from '../../../src-shared/contract/evaluation.js';
import type { ComputeBackend, SystemInfo } from '../../../src-shared/contract/system.js';
import type { RunDetail, RunSummary, TrainingPlan } from '../../../src-shared/contract/training.js';
import { trainingConfigSchema } from '../../../src-shared/contract/training.js';
import { evaluateClassifier } from '../../../src-shared/compute/metrics/evaluateClassifier.js';

/*
 * Canned payloads for store tests, each a value the contract's response schema accepts (the fake
 * client parses every reply with it). Only what a test looks at varies; the rest is plausible.
 */

const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

export function dataset(id: number, over: Partial<DatasetSummary> = {}): DatasetSummary {
  return {
    id,
    symbol: `SYM${id}/USDT`,
    kind: 'spot',
    venue: null,
    expiry: null,
    timeframe: '1h',
    timeframeMs: HOUR,
    rows: 100,
    firstTs: T0,
    lastTs: T0 + 99 * HOUR,
    healthScore: 100,
    healthVerdict: 'clean',
    bytes: 4800,
    extraColumns: [],
    createdAt: T0,
    ...over,
  };
}

/** `n` hourly candles ending just before `endTs`. */
export function candles(n: number, endTs = T0 + 1000 * HOUR): CandleColumnsPayload {
  const ts = Array.from({ length: n }, (_, i) => endTs - (n - i) * HOUR);
  return { ts, open: ts.map(() => 1), high: ts.map(() => 2), low: ts.map(() => 0.5), close: ts.map(() => 1.5), volume: ts.map(() => 10) };
}

export function healthSummary(score: number): HealthSummaryPayload {
  return {
    version: 1,
    rows: 100,
    expectedRows: 100,
    missingBars: 0,
    gapCount: 0,
    largestGaps: [],
    zeroVolumeBars: 0,
    missingVolumeBars: 0,
    spikes: 0,
    badTicks: 0,
    flatBars: 0,
    invalidBars: 0,
    offGridBars: 0,
    incompleteFirst: false,
    incompleteLast: false,
    sessionsDetected: false,
    weekendGapsExpected: false,
    activeFraction: 1,
    spikeThreshold: 8,
    robustSigma: 0.01,
    suspectBars: 0,
    badBars: 0,
    suspectByReason: { spike: 0, offGrid: 0, incomplete: 0, missingVolume: 0, zeroVolume: 0, flat: 0, gapBefore: 0 },
    badByReason: { invalidOhlc: 0, badTick: 0 },
    calendar: 'continuous',
    calendarSource: 'data',
    closures: { weekends: 0, holidays: 0, daily: 0 },
    offGridTimes: [],
    score,
    verdict: 'clean',
  };
}

export function run(id: number, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `run-${id}`,
    status: 'completed',
    model: 'gru',
    datasets: [{ id: 1, symbol: 'SYM1/USDT', timeframe: '1h' }],
    epochsDone: 2,
    epochsPlanned: 2,
    bestEpoch: 2,
    backend: 'cpu',
    createdAt: T0,
    startedAt: T0,
    endedAt: T0 + HOUR,
    failure: null,
    lastValAcc: 0.55,
    test: { accuracy: 0.56, baselineAccuracy: 0.5, samples: 100 },
    resumable: false,
    timeframe: '1h',
    validation: 'holdout',
    verdict: 'better',
    ...over,
  };
}

export function runDetail(id: number, over: Partial<RunDetail> = {}): RunDetail {
  return { ...run(id), config: trainingConfigSchema.parse({ datasetIds: [1] }), epochs: [], batchHistory: [], modelSummary: null, ...over };
}

export function plan(timeframe: string): TrainingPlan {
  return {
    timeframe,
    timeframeMs: HOUR,
    timeframes: [{ timeframe, timeframeMs: HOUR }],
    datasets: [{ id: 1, symbol: 'SYM1/USDT', sourceTimeframe: timeframe, rolledUp: false, bars: 100, samples: { train: 60, val: 10, test: 10 } }],
    features: ['ret1'],
    extraColumns: [],
    extrasLeftOut: [],
    problems: [],
  };
}

export const backend: ComputeBackend = { name: 'cpu', gpuInUse: false, reason: 'native TensorFlow not installed', label: 'cpu', attempts: [{ backend: 'cpu', ok: true }], adapter: null };

export function systemInfo(dbBytes: number): SystemInfo {
  return {
    versions: { candela: '0.1.0', node: '20.19.0', electron: null, chrome: null, sqlite: '3.45.0', tfjs: null, platform: 'linux' },
    workspace: { path: '/tmp/workspace', dbBytes, schemaVersion: 1 },
    shell: 'headless',
    backend,
  };
}

/** A real report of the metrics library on a small two-class sample, as the evaluation service stores it. */
export function storedEvaluation(runId: number, evaluationId = runId * 10): StoredEvaluation {
  const n = 40;
  const yTrue = Int32Array.from({ length: n }, (_, i) => i % 2);
  const probs = Float64Array.from({ length: 2 * n }, (_, k) => {
    const i = Math.floor(k / 2);
    const pUp = yTrue[i] === 1 ? 0.7 : 0.4;
    return k % 2 === 1 ? pUp : 1 - pUp;
  });
  const report = evaluateClassifier({ yTrue, probs, classes: ['down', 'up'], seed: 1, options: { bootstrapResamples: 20 } });
  return { evaluationId, runId, createdAt: T0, report: { ...report, folds: [], importance: null } };
}

export function metrics(totalReturn: number): BacktestMetricsPayload {
  return {
    bars: 100,
    periodsPerYear: 8760,
    totalReturn,
    cagr: null,
    annualVolatility: null,
    sharpe: 1,
    sortino: null,
    calmar: null,
    maxDrawdown: 0.05,
    maxDrawdownDurationBars: null,
    maxDrawdownDurationMs: null,
    var95: null,
    cvar95: null,
    buyAndHoldReturn: 0.01,
    beta: null,
    alphaAnnual: null,
    trades: 3,
    winRate: 0.5,
    profitFactor: null,
    expectancy: null,
    averageWin: null,
    averageLoss: null,
    averageHoldingBars: null,
    averageHoldingMs: null,
    exposure: 1,
    turnoverAnnual: null,
    feesPaid: 0.001,
    fundingPaid: 0,
    slippagePaid: 0,
    nullReasons: {},
  };
}

export function resolvedSettings(minConfidence = 0): ResolvedBacktestSettings {
  return {
    ...backtestSettingsSchema.parse({ minConfidence }),
    downClass: 0,
    upClass: 1,
    whenUncertain: 'flat',
    volTargetAnnual: 0.2,
    volLookbackBars: 20,
    kellyFraction: 0.5,
    kellyMinTrades: 20,
    kellyPriorPayoff: 1,
    reentryAfterForcedExit: 'after-signal-change',
    signalOrderType: 'market',
    takeProfitOrderType: 'market',
    slippageAtrFraction: 0,
    maintenanceMargin: 0.005,
    initialEquity: 1,
    calendar: 'auto',
  };
}

export function backtest(backtestId: number, runId: number, totalReturn = 0.1): BacktestSummary {
  return { backtestId, runId, createdAt: T0, settings: resolvedSettings(), portfolio: metrics(totalReturn), symbols: [{ symbol: 'SYM1/USDT', metrics: metrics(totalReturn), halted: null }] };
}

export function symbolView(datasetId: number, bars = 3): BacktestSymbolView {
  const ts = Array.from({ length: bars }, (_, i) => T0 + i * HOUR);
  return { trades: [], series: { ts, equity: ts.map(() => 1), buyHold: ts.map(() => 1), drawdown: ts.map(() => 0) }, returns: ts.map(() => 0), calendar: { granularity: 'day', rows: ['2024-01-01'], columns: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], cells: [[0, null, null, null, null, null, null]] }, datasetId, timeframe: '1h' };
}

export function runAnalytics(runId: number): RunAnalytics {
  const ic = { n: 200, ic: 0.12, rankIc: 0.1 };
  const rows = (names: string[]) => [...names.map((regime, i) => ({ regime, bars: 60 + i, accuracy: 0.55, majorityAccuracy: 0.5, persistenceAccuracy: 0.49, persistenceBars: 60 + i })), { regime: 'unknown', bars: 0, accuracy: null, majorityAccuracy: null, persistenceAccuracy: null, persistenceBars: 0 }];
  return {
    runId,
    horizon: 1,
    samples: 200,
    signalQuality: { score: 'P(UP) − P(DOWN)', overall: ic, perSymbol: [{ symbol: 'SYM1/USDT', ...ic }], perMonth: [{ month: '2024-01', ...ic }], decay: [1, 2, 3, 4].map((horizon) => ({ horizon, ...ic })), magnitude: null },
    bias: [{ symbol: 'SYM1/USDT', n: 200, upCallShare: 0.6, lower: 0.53, upper: 0.66, baseRate: 0.5, bias: 0.1, biased: true }],
    regimes: {
      volatility: { lookback: 20, thresholds: [{ symbol: 'SYM1/USDT', lower: 0.01, upper: 0.02, trainingBars: 500 }], rows: rows(['low', 'medium', 'high']), perSymbol: [{ symbol: 'SYM1/USDT', rows: rows(['low', 'medium', 'high']) }] },
      trend: { lookback: 20, rows: rows(['down', 'sideways', 'up']), perSymbol: [{ symbol: 'SYM1/USDT', rows: rows(['down', 'sideways', 'up']) }] },
      hmm: null,
    },
  };
}

export function backtestAnalytics(runId: number): BacktestAnalytics {
  const band = { p5: -0.1, p50: 0.01, p95: 0.12 };
  const mc = {
    paths: 1000,
    steps: 40,
    finalReturn: band,
    maxDrawdown: { p5: 0.02, p50: 0.05, p95: 0.11 },
    longestDrawdown: { p5: 3, p50: 8, p95: 20 },
    worst5PercentFinalReturn: -0.13,
    drawdownThreshold: 0.2,
    probabilityDrawdownBeyond: 0,
    fan: { steps: [0, 20, 40], levels: [0.05, 0.25, 0.5, 0.75, 0.95], bands: [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => [1, 1 + q / 10, 1 + q / 5]) },
    maxDrawdownSamples: [0.02, 0.05, 0.11],
  };
  const rows = (names: string[]) => [...names.map((regime, i) => ({ regime, bars: 10 + i, totalReturn: 0.01, sharpe: 1, maxDrawdown: 0.02 })), { regime: 'unknown', bars: 0, totalReturn: 0, sharpe: null, maxDrawdown: 0 }];
  const kinds = { volatility: rows(['low', 'medium', 'high']), trend: rows(['down', 'sideways', 'up']), hmm: null };
  const more = {
    omega: 1.1, sharpeAutocorrelationAdjusted: 0.9, sortinoAutocorrelationAdjusted: 1.2, autocorrelationLag1: 0.02,
    longestWinStreakTrades: 4, longestLossStreakTrades: 3, longestWinStreakBars: 6, longestLossStreakBars: 5,
    ulcerIndex: 0.02, recoveryFactor: 0.6, tailRatio: 1, gainToPain: 0.1, skewness: 0, excessKurtosis: 0.5, calmar: null, nullReasons: { calmar: 'window too short to annualize' },
  };
  return {
    runId,
    settings: resolvedSettings(),
    seed: 1,
    portfolioEquity: { ts: [T0, T0 + HOUR], strategy: [1, 1.01], buyHold: [1, 0.99] },
    regimes: { rule: "a bar's return takes the regime known at the close of the bar before", portfolio: { bars: 33, totalReturn: 0.03, ...kinds }, symbols: [{ symbol: 'SYM1/USDT', bars: 33, totalReturn: 0.03, ...kinds }] },
    monteCarlo: { method: 'trade bootstrap (with replacement)', ...mc, reorder: mc, blockBootstrap: { ...mc, blockLength: 4 }, reason: null },
    moreMetrics: { portfolio: more, symbols: [{ symbol: 'SYM1/USDT', ...more }] },
    costSensitivity: { breakevenBps: 12.5, status: 'found', maxBps: 2000, line: { costBps: [0, 10, 20], totalReturn: [0.05, 0.01, -0.03] }, grid: { feeBps: [0, 5], slippageBps: [0, 2], totalReturn: [[0.05, 0.03], [0.02, 0]], sharpe: [[1.2, 0.8], [0.5, 0]] }, turnover: { annual: 40, trades: 40 } },
    significance: { randomEntry: [{ symbol: 'SYM1/USDT', result: { pValue: 0.2, observed: 0.03, null: band, samples: 1000 }, reason: null }], versusBuyAndHold: { pValue: 0.4, observed: 0.0001, null: band, samples: 1000, excessReturn: 0.01, meanExcessPerBar: 0.0001, blockLength: 4 } },
  };
}
