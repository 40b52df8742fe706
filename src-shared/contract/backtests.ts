import { z } from 'zod';
import { channel, event } from './define.js';
import { ContractFailure } from './result.js';

const directionSchema = z.enum(['long-short', 'long-only']);
const sizingSchema = z.enum(['fixed', 'confidence', 'vol-target', 'kelly']);
const stopUnitSchema = z.enum(['fraction', 'atr']);
const fundingSourceSchema = z.enum(['none', 'fixed', 'column']);

/** What a person sets for a backtest; everything else takes the engine's documented defaults. */
export const backtestSettingsSchema = z
  .object({
    direction: directionSchema.default('long-short'),
    minConfidence: z.number().min(0).max(1).default(0),
    sizing: sizingSchema.default('fixed'),
    fixedFraction: z.number().min(0).max(100).default(1),
    maxLeverage: z.number().min(0).max(100).default(1),
    maxHoldingBars: z.number().int().min(1).nullable().default(null),
    stopUnit: stopUnitSchema.default('fraction'),
    stopLoss: z.number().positive().nullable().default(null),
    takeProfit: z.number().positive().nullable().default(null),
    takerFeeBps: z.number().min(0).max(1000).default(5),
    makerFeeBps: z.number().min(-100).max(1000).default(2),
    slippageBps: z.number().min(0).max(1000).default(0),
    fundingSource: fundingSourceSchema.default('none'),
    fundingRatePer8h: z.number().min(-0.1).max(0.1).default(0.0001),
  })
  .strict();
export type BacktestSettingsInput = z.input<typeof backtestSettingsSchema>;
export type BacktestSettingsPayload = z.output<typeof backtestSettingsSchema>;

/**
 * The settings a stored backtest or a sweep reports: the engine's full resolved settings
 * (`BacktestSettings` in src-shared/compute/backtest/settings.ts, where each is documented: every
 * engine default spelled out, plus the run's class columns), a superset of the form's. Units
 * (bps, fractions) are plain numbers here; the field names carry them.
 */
export const resolvedBacktestSettingsSchema = z.object({
  direction: directionSchema,
  downClass: z.number().int(),
  upClass: z.number().int(),
  minConfidence: z.number(),
  whenUncertain: z.enum(['flat', 'hold']),
  sizing: sizingSchema,
  fixedFraction: z.number(),
  volTargetAnnual: z.number(),
  volLookbackBars: z.number().int(),
  kellyFraction: z.number(),
  kellyMinTrades: z.number().int(),
  kellyPriorPayoff: z.number(),
  maxLeverage: z.number(),
  maxHoldingBars: z.number().int().nullable(),
  reentryAfterForcedExit: z.enum(['after-signal-change', 'immediately']),
  stopUnit: stopUnitSchema,
  stopLoss: z.number().nullable(),
  takeProfit: z.number().nullable(),
  takerFeeBps: z.number(),
  makerFeeBps: z.number(),
  signalOrderType: z.enum(['market', 'limit']),
  takeProfitOrderType: z.enum(['market', 'limit']),
  slippageBps: z.number(),
  slippageAtrFraction: z.number(),
  fundingSource: fundingSourceSchema,
  fundingRatePer8h: z.number(),
  maintenanceMargin: z.number(),
  initialEquity: z.number(),
  calendar: z.enum(['auto', '24/7', 'sessions']),
});
export type ResolvedBacktestSettings = z.infer<typeof resolvedBacktestSettingsSchema>;

/**
 * The form's settings of a stored backtest, so that showing one also shows what produced it.
 * Fields a backtest stored before a setting existed take that setting's default; null when the
 * stored values are outside what the form accepts (nothing to fill it with honestly).
 */
export function backtestSettingsFromStored(stored: Partial<ResolvedBacktestSettings>): BacktestSettingsPayload | null {
  const picked = Object.fromEntries(Object.entries(stored).filter(([k, v]) => k in backtestSettingsSchema.shape && v !== undefined));
  const parsed = backtestSettingsSchema.safeParse(picked);
  return parsed.success ? parsed.data : null;
}

/** A metric: a finite number, or null with its reason in `nullReasons`. */
const metric = z.number().nullable();

/**
 * Everything a backtest reports for one symbol or the portfolio (`BacktestMetrics` in
 * src-shared/compute/backtest/metrics.ts, where each formula is documented); backtestPayloads.test.ts
 * keeps the two the same type.
 */
export const backtestMetricsSchema = z.object({
  bars: z.number(),
  periodsPerYear: z.number(),
  totalReturn: metric,
  cagr: metric,
  annualVolatility: metric,
  sharpe: metric,
  sortino: metric,
  calmar: metric,
  maxDrawdown: metric,
  maxDrawdownDurationBars: metric,
  maxDrawdownDurationMs: metric,
  var95: metric,
  cvar95: metric,
  buyAndHoldReturn: metric,
  beta: metric,
  alphaAnnual: metric,
  trades: z.number(),
  winRate: metric,
  profitFactor: metric,
  expectancy: metric,
  averageWin: metric,
  averageLoss: metric,
  averageHoldingBars: metric,
  averageHoldingMs: metric,
  exposure: metric,
  turnoverAnnual: metric,
  feesPaid: z.number(),
  fundingPaid: z.number(),
  slippagePaid: z.number(),
  /** Why each null metric is null, by metric name. */
  nullReasons: z.record(z.string(), z.string()),
});
export type BacktestMetricsPayload = z.infer<typeof backtestMetricsSchema>;

export const backtestSymbolResultSchema = z.object({
  symbol: z.string(),
  metrics: backtestMetricsSchema,
  /** Why the symbol's backtest stopped early: the account was wiped out, or grew past the engine's cap. */
  halted: z.enum(['ruined', 'equity-cap']).nullable(),
});
export type BacktestSymbolResult = z.infer<typeof backtestSymbolResultSchema>;

/**
 * The taker fee at which the equal-weight portfolio's total return reaches 0, every other setting
 * as the backtest's (the backtest re-run at other fees, bisected: `breakevenCost` in
 * src-shared/compute/analytics). `takerFeeBps` is 0 when the portfolio loses even without fees and
 * null when it stays profitable up to the search's ceiling (`status` says which).
 */
export const breakevenFeeSchema = z.object({
  takerFeeBps: z.number().nullable(),
  status: z.enum(['found', 'unprofitable-at-zero-cost', 'profitable-beyond-max']),
  /** The highest fee searched, in bps. */
  maxBps: z.number(),
});
export type BreakevenFee = z.infer<typeof breakevenFeeSchema>;

/**
 * What a stored backtest keeps as its summary (beside its settings, trades and equity series).
 * `breakeven` is absent from backtests stored before it was computed, and null where the
 * portfolio has no return to bisect.
 */
export const storedBacktestSummarySchema = z.object({
  portfolio: backtestMetricsSchema,
  symbols: z.array(backtestSymbolResultSchema),
  breakeven: breakevenFeeSchema.nullable().optional(),
});

export const backtestSummarySchema = storedBacktestSummarySchema.extend({
  backtestId: z.number(),
  runId: z.number(),
  createdAt: z.number(),
  settings: resolvedBacktestSettingsSchema,
});
export type BacktestSummary = z.infer<typeof backtestSummarySchema>;

/**
 * A stored backtest's settings and summary (JSON text, as the workspace keeps them) read with the
 * schemas: one that does not fit is refused with a sentence rather than shown wrong.
 */
export function parseStoredBacktest(backtestId: number, settingsJson: string, summaryJson: string): Pick<BacktestSummary, 'settings' | 'portfolio' | 'symbols'> {
  const settings = resolvedBacktestSettingsSchema.safeParse(JSON.parse(settingsJson));
  const summary = storedBacktestSummarySchema.safeParse(JSON.parse(summaryJson));
  if (settings.success && summary.success) return { settings: settings.data, ...summary.data };
  const issue = (settings.error ?? summary.error)?.issues[0];
  throw new ContractFailure('WORKSPACE', `Backtest ${backtestId} was stored in a shape this version does not read (${issue?.path.join('.') || 'summary'}: ${issue?.message ?? 'wrong shape'}); run it again.`);
}

/** One threshold of a sweep: exactly what a backtest with `minConfidence = threshold` and the same other settings reports. */
export const backtestSweepRowSchema = z.object({ threshold: z.number(), portfolio: backtestMetricsSchema, symbols: z.array(backtestSymbolResultSchema) });
export type BacktestSweepRow = z.infer<typeof backtestSweepRowSchema>;

export const backtestSweepSchema = z.object({ settings: resolvedBacktestSettingsSchema, rows: z.array(backtestSweepRowSchema) });
export type BacktestSweep = z.infer<typeof backtestSweepSchema>;

export const tradeSchema = z.object({
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  entryTs: z.number(),
  exitTs: z.number(),
  entryPrice: z.number(),
  exitPrice: z.number(),
  size: z.number(),
  quantity: z.number(),
  pnl: z.number(),
  returnFraction: z.number(),
  fees: z.number(),
  funding: z.number(),
  slippage: z.number(),
  barsHeld: z.number(),
  exitReason: z.string(),
});
export type TradePayload = z.infer<typeof tradeSchema>;

/** One symbol of a stored backtest, as the Backtests page charts it. */
export const backtestSymbolViewSchema = z.object({
  trades: z.array(tradeSchema),
  series: z.object({ ts: z.array(z.number()), equity: z.array(z.number()), buyHold: z.array(z.number()), drawdown: z.array(z.number()) }),
  returns: z.array(z.number()),
  /** Returns by calendar period (`returnsCalendar` in src-shared/domain): years × months, or weeks × weekdays under three months. */
  calendar: z.object({
    granularity: z.enum(['month', 'day']),
    rows: z.array(z.string()),
    columns: z.array(z.string()),
    cells: z.array(z.array(z.number().nullable())),
  }),
  datasetId: z.number(),
  /** The run's bar size: the chart reads the dataset's candles at it (a roll-up where the run rolled finer bars up). */
  timeframe: z.string(),
});
export type BacktestSymbolView = z.infer<typeof backtestSymbolViewSchema>;

/*
 * Research analytics of a backtest (src-main/backtests/backtestAnalytics.ts computes them with
 * src-shared/compute/analytics): returns per market regime, Monte Carlo of trades and of the bar
 * path, cost sensitivity and significance against chance. Undefined numbers are null.
 */
const band = z.object({ p5: z.number(), p50: z.number(), p95: z.number() });

/** One regime's share of a backtest: its bars, the return compounded over them, Sharpe and drawdown. */
export const regimeReturnRowSchema = z.object({ regime: z.string(), bars: z.number(), totalReturn: z.number().nullable(), sharpe: z.number().nullable(), maxDrawdown: z.number().nullable() });
export type RegimeReturnRow = z.infer<typeof regimeReturnRowSchema>;

/** A regime kind's rows (the unknown bucket last); Π(1 + totalReturn) over the rows is 1 + the whole window's return, and the bars add up to its bars. */
const regimeReturnsSchema = z.object({ volatility: z.array(regimeReturnRowSchema), trend: z.array(regimeReturnRowSchema), hmm: z.array(regimeReturnRowSchema).nullable() });

export const monteCarloSummarySchema = z.object({
  paths: z.number(),
  /** Steps per path: trades, or bars for the block bootstrap. */
  steps: z.number(),
  finalReturn: band,
  maxDrawdown: band,
  /** In steps. */
  longestDrawdown: band,
  /** Mean final return of the worst 5 % of paths. */
  worst5PercentFinalReturn: z.number(),
  drawdownThreshold: z.number().nullable(),
  probabilityDrawdownBeyond: z.number().nullable(),
  /** Quantile bands of equity (1 = start) at `steps`: bands[q][s] is the levels[q] quantile at steps[s]. */
  fan: z.object({ steps: z.array(z.number()), levels: z.array(z.number()), bands: z.array(z.array(z.number())) }),
  /** Each path's max drawdown, so a threshold can be asked about without re-running. */
  maxDrawdownSamples: z.array(z.number()),
});
export type MonteCarloSummaryPayload = z.infer<typeof monteCarloSummarySchema>;

/**
 * Metrics beyond the backtest's own (`MoreMetrics` in src-shared/compute/analytics/moreMetrics.ts,
 * where each formula is documented); null with its reason in `nullReasons`.
 */
export const moreMetricsSchema = z.object({
  omega: metric,
  sharpeAutocorrelationAdjusted: metric,
  sortinoAutocorrelationAdjusted: metric,
  autocorrelationLag1: metric,
  longestWinStreakTrades: z.number(),
  longestLossStreakTrades: z.number(),
  longestWinStreakBars: z.number(),
  longestLossStreakBars: z.number(),
  ulcerIndex: metric,
  recoveryFactor: metric,
  tailRatio: metric,
  gainToPain: metric,
  skewness: metric,
  excessKurtosis: metric,
  calmar: metric,
  nullReasons: z.record(z.string(), z.string()),
});
export type MoreMetricsPayload = z.infer<typeof moreMetricsSchema>;

const significanceSchema = z.object({ pValue: z.number(), observed: z.number(), null: band, samples: z.number() });

export const backtestAnalyticsSchema = z.object({
  runId: z.number(),
  settings: resolvedBacktestSettingsSchema,
  seed: z.number(),
  /** The equal-weight portfolio's equity beside buy and hold (1 = start), at most 500 evenly spaced observations, the last included. */
  portfolioEquity: z.object({ ts: z.array(z.number()), strategy: z.array(z.number()), buyHold: z.array(z.number()) }),
  regimes: z.object({
    /** How a bar's return is assigned: the regime known at the close of the bar before (when the position for it was decided). */
    rule: z.string(),
    portfolio: regimeReturnsSchema.extend({ bars: z.number(), totalReturn: z.number().nullable() }),
    symbols: z.array(regimeReturnsSchema.extend({ symbol: z.string(), bars: z.number(), totalReturn: z.number().nullable() })),
  }),
  /** Trade bootstrap (with replacement) of the pooled trades; `reorder` permutes them; `blockBootstrap` resamples the portfolio's bar returns in blocks. */
  monteCarlo: monteCarloSummarySchema.extend({
    method: z.string(),
    reorder: monteCarloSummarySchema.nullable(),
    blockBootstrap: monteCarloSummarySchema.extend({ blockLength: z.number() }).nullable(),
    /** Why the trade resampling is null (no trades), when it is. */
    reason: z.string().nullable(),
  }).nullable(),
  /** More metrics of the portfolio and of each symbol (the portfolio's trade streaks run over all symbols' trades in exit order). */
  moreMetrics: z.object({ portfolio: moreMetricsSchema, symbols: z.array(moreMetricsSchema.extend({ symbol: z.string() })) }),
  costSensitivity: z.object({
    /** Round-trip cost (bps) at which the portfolio's total return reaches 0: half of it charged as the fee on each fill, no slippage. */
    breakevenBps: z.number().nullable(),
    status: z.enum(['found', 'unprofitable-at-zero-cost', 'profitable-beyond-max']),
    maxBps: z.number(),
    /** Portfolio return along round-trip cost (the plot). */
    line: z.object({ costBps: z.array(z.number()), totalReturn: z.array(z.number().nullable()) }),
    /** Portfolio return and Sharpe on a fee × slippage grid (rows fees, columns slippage; bps per fill). */
    grid: z.object({ feeBps: z.array(z.number()), slippageBps: z.array(z.number()), totalReturn: z.array(z.array(z.number().nullable())), sharpe: z.array(z.array(z.number().nullable())) }),
    /** The portfolio's turnover: notional traded / equity per year (annualised), and its trade count. */
    turnover: z.object({ annual: z.number().nullable(), trades: z.number() }),
  }),
  significance: z.object({
    /** Per symbol: its return against the same trades (count, holding times, sides) placed at random. */
    randomEntry: z.array(z.object({ symbol: z.string(), result: significanceSchema.nullable(), reason: z.string().nullable() })),
    /** The portfolio's bar returns against equal-weight buy and hold (block bootstrap of the difference). */
    versusBuyAndHold: significanceSchema.extend({ excessReturn: z.number(), meanExcessPerBar: z.number(), blockLength: z.number() }).nullable(),
  }),
});
export type BacktestAnalytics = z.infer<typeof backtestAnalyticsSchema>;

export const backtestAnalyticsOptionsSchema = z
  .object({
    paths: z.number().int().min(100).max(20_000).default(1000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    drawdownThreshold: z.number().gt(0).lt(1).default(0.2),
    hmmStates: z.union([z.literal(2), z.literal(3)]).nullable().default(null),
  })
  .strict();
export type BacktestAnalyticsOptions = z.output<typeof backtestAnalyticsOptionsSchema>;

/**
 * Monte Carlo of the MARKET (src-main/backtests/marketMonteCarlo.ts): the stored backtest's test
 * period resampled (moving-block bootstrap of its candles, optionally noise), the run's final model
 * predicting again on each path, and the same backtest rules and costs trading those signals. Unlike
 * `monteCarlo` of the analytics, which resamples the real signals' trades or returns.
 */
export const marketMonteCarloRequestSchema = z
  .object({
    backtestId: z.number().int().positive(),
    /** Each path is a full feature computation, prediction and backtest: seconds per path on long tests. */
    paths: z.number().int().min(1).max(1000).default(100),
    /** Bars per block; null: ⌈test bars^(1/3)⌉ or the mean holding time, whichever is longer. The test length or more keeps the real order. */
    blockLength: z.number().int().min(1).nullable().default(null),
    /** Noise as a fraction of a typical bar's log move (0 = none). */
    noise: z.number().min(0).max(2).default(0),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    drawdownThreshold: z.number().gt(0).lt(1).default(0.2),
  })
  .strict();
export type MarketMonteCarloRequest = z.output<typeof marketMonteCarloRequestSchema>;

export const marketMonteCarloSchema = monteCarloSummarySchema.extend({
  backtestId: z.number(),
  runId: z.number(),
  /** What was resampled, in words (also says the signals were recomputed). */
  method: z.string(),
  seed: z.number(),
  blockLength: z.number(),
  noise: z.number(),
  /** Whether the symbols' test periods shared one calendar, and so one set of blocks per path. */
  sharedBlocks: z.boolean(),
  /** The stored backtest's own portfolio figures, beside which the paths' spread reads. */
  original: z.object({ totalReturn: z.number().nullable(), maxDrawdown: z.number().nullable() }),
  computedAt: z.number(),
  seconds: z.number(),
});
export type MarketMonteCarlo = z.infer<typeof marketMonteCarloSchema>;

const runRef = z.number().int().positive();

export const backtestsChannels = {
  'backtests.run': channel({
    request: z.object({ runId: runRef, settings: backtestSettingsSchema.prefault({}) }).strict(),
    response: backtestSummarySchema,
    summary: "Backtests a finished run's out-of-sample signals per symbol and for the equal-weight portfolio, and stores the result.",
  }),
  'backtests.list': channel({
    request: z.object({ runId: runRef.optional() }).strict(),
    response: z.object({ backtests: z.array(backtestSummarySchema) }),
    summary: 'Stored backtests, newest first.',
  }),
  'backtests.symbol': channel({
    request: z.object({ backtestId: z.number().int().positive(), symbol: z.string(), maxPoints: z.number().int().min(100).max(200_000).default(5000) }).strict(),
    response: backtestSymbolViewSchema,
    summary: 'One symbol of a backtest: its trades, equity beside buy and hold, drawdown, bar returns and returns by calendar month (or day, for a test under three months).',
  }),
  'backtests.sweep': channel({
    request: z.object({ runId: runRef, settings: backtestSettingsSchema.prefault({}), thresholds: z.array(z.number().min(0).max(1)).min(1).max(50) }).strict(),
    response: backtestSweepSchema,
    summary: 'For each minimum confidence, the backtest with the other settings as given (per symbol and portfolio); nothing stored. `settings` are those of the run the sweep varies.',
  }),
  'backtests.preview': channel({
    request: z.object({ runId: runRef, settings: backtestSettingsSchema.prefault({}) }).strict(),
    response: backtestSummarySchema.omit({ backtestId: true, createdAt: true }).extend({ trades: z.array(tradeSchema) }),
    summary: 'The backtest backtests.run would store, with every trade, and nothing stored (candela backtest --no-save).',
  }),
  'backtests.analytics': channel({
    request: z.object({ runId: runRef, settings: backtestSettingsSchema.prefault({}), options: backtestAnalyticsOptionsSchema.prefault({}) }).strict(),
    response: backtestAnalyticsSchema,
    summary: 'Per-regime returns (per symbol and portfolio), seeded Monte Carlo of trades and bar path, cost sensitivity with the breakeven round-trip cost, and significance against random entries and buy and hold, for the backtest with these settings; nothing stored.',
  }),
  'backtests.marketMonteCarlo': channel({
    request: marketMonteCarloRequestSchema,
    response: marketMonteCarloSchema,
    summary: "Monte Carlo of the market: the stored backtest's test period resampled (block bootstrap of the candles, optional noise), the run's model predicting again on each path and the same rules and costs trading it; seeded; percentiles of final return and drawdowns. Saved beside the run for its report.",
  }),
  'backtests.cancelMarketMonteCarlo': channel({
    request: z.object({ backtestId: z.number().int().positive() }).strict(),
    response: z.object({ cancelled: z.boolean() }),
    summary: "Stops a backtest's market Monte Carlo in progress (its request answers CANCELLED).",
  }),
} as const;

export const backtestsEvents = {
  'backtests.marketMonteCarloProgress': event({
    payload: z.object({ backtestId: z.number(), done: z.number(), total: z.number() }),
    summary: 'Paths predicted so far by a market Monte Carlo (each path is then backtested at the end).',
  }),
} as const;
