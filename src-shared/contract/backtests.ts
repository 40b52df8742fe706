import { z } from 'zod';
import { channel } from './define.js';

/** What a person sets for a backtest; everything else takes the engine's documented defaults. */
export const backtestSettingsSchema = z
  .object({
    direction: z.enum(['long-short', 'long-only']).default('long-short'),
    minConfidence: z.number().min(0).max(1).default(0),
    sizing: z.enum(['fixed', 'confidence', 'vol-target', 'kelly']).default('fixed'),
    fixedFraction: z.number().min(0).max(100).default(1),
    maxLeverage: z.number().min(0).max(100).default(1),
    maxHoldingBars: z.number().int().min(1).nullable().default(null),
    stopUnit: z.enum(['fraction', 'atr']).default('fraction'),
    stopLoss: z.number().positive().nullable().default(null),
    takeProfit: z.number().positive().nullable().default(null),
    takerFeeBps: z.number().min(0).max(1000).default(5),
    makerFeeBps: z.number().min(-100).max(1000).default(2),
    slippageBps: z.number().min(0).max(1000).default(0),
    fundingSource: z.enum(['none', 'fixed', 'column']).default('none'),
    fundingRatePer8h: z.number().min(-0.1).max(0.1).default(0.0001),
  })
  .strict();
export type BacktestSettingsInput = z.input<typeof backtestSettingsSchema>;
export type BacktestSettingsPayload = z.output<typeof backtestSettingsSchema>;

/**
 * The settings a stored backtest or a sweep reports: the engine's full resolved settings (every
 * engine default spelled out, plus the run's class columns), a superset of the form's.
 */
const resolvedSettingsSchema = z.record(z.string(), z.unknown());

/**
 * The form's settings of a stored backtest, so that showing one also shows what produced it.
 * Fields a backtest stored before a setting existed take that setting's default; null when the
 * stored values are outside what the form accepts (nothing to fill it with honestly).
 */
export function backtestSettingsFromStored(stored: Record<string, unknown>): BacktestSettingsPayload | null {
  const picked = Object.fromEntries(Object.keys(backtestSettingsSchema.shape).filter((k) => stored[k] !== undefined).map((k) => [k, stored[k]]));
  const parsed = backtestSettingsSchema.safeParse(picked);
  return parsed.success ? parsed.data : null;
}

const metricsSchema = z.record(z.string(), z.unknown());
const symbolResultSchema = z.object({ symbol: z.string(), metrics: metricsSchema, halted: z.string().nullable() });

export const backtestSummarySchema = z.object({
  backtestId: z.number(),
  runId: z.number(),
  createdAt: z.number(),
  settings: resolvedSettingsSchema,
  portfolio: metricsSchema,
  symbols: z.array(symbolResultSchema),
});
export type BacktestSummary = z.infer<typeof backtestSummarySchema>;

/** One threshold of a sweep: exactly what a backtest with `minConfidence = threshold` and the same other settings reports. */
export const backtestSweepRowSchema = z.object({ threshold: z.number(), portfolio: metricsSchema, symbols: z.array(symbolResultSchema) });
export type BacktestSweepRow = z.infer<typeof backtestSweepRowSchema>;

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
    response: z.object({
      trades: z.array(tradeSchema),
      series: z.object({ ts: z.array(z.number()), equity: z.array(z.number()), buyHold: z.array(z.number()), drawdown: z.array(z.number()) }),
      returns: z.array(z.number()),
      monthly: z.array(z.object({ month: z.string(), ret: z.number() })),
      datasetId: z.number(),
      /** The run's bar size: the chart reads the dataset's candles at it (a roll-up where the run rolled finer bars up). */
      timeframe: z.string(),
    }),
    summary: 'One symbol of a backtest: its trades, equity beside buy and hold, drawdown, bar returns and monthly returns.',
  }),
  'backtests.sweep': channel({
    request: z.object({ runId: runRef, settings: backtestSettingsSchema.prefault({}), thresholds: z.array(z.number().min(0).max(1)).min(1).max(50) }).strict(),
    response: z.object({ settings: resolvedSettingsSchema, rows: z.array(backtestSweepRowSchema) }),
    summary: 'For each minimum confidence, the backtest with the other settings as given (per symbol and portfolio); nothing stored. `settings` are those of the run the sweep varies.',
  }),
} as const;

export const backtestsEvents = {} as const;
