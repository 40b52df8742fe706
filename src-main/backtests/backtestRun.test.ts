import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles } from '../../test-support/fixtures.js';
import { trainingWorkspace, TRAINING_WORKER, type TrainingWorkspace } from '../../test-support/trainingWorkspace.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { backtestSummarySchema, backtestSweepSchema, type BacktestSettingsInput } from '../../src-shared/contract/backtests.js';
import type { Services } from '../services/createServices.js';

describe('threshold sweep through the contract (built worker)', () => {
  if (!requirePrerequisite(builtFiles(TRAINING_WORKER))) return;
  let ws: TrainingWorkspace;
  let services: Services;
  let dispatch: TrainingWorkspace['dispatch'];
  let runId = 0;

  beforeAll(async () => {
    ws = await trainingWorkspace('candela-sweep-', { symbols: 2, bars: 3000, timeframe: '1h', seed: 4, signal: 0.4 });
    ({ services, dispatch } = ws);
    const { datasetIds } = ws;
    runId = await ws.start({ datasetIds, model: 'mlp', window: 8, epochs: 2, batchSize: 64 });
    expect(await services.training.whenSettled(runId)).toBe('completed');
  }, 180_000);
  afterAll(async () => {
    await ws?.close();
  });

  const sweep = async (settings: BacktestSettingsInput, thresholds: number[]) => {
    const r = await dispatch('backtests.sweep', { runId, settings, thresholds });
    if (!r.ok) throw new Error(r.error.message);
    // Parsed with the contract's schema: the response must be what the contract says it is.
    return backtestSweepSchema.parse(r.value);
  };
  const plain = async (settings: BacktestSettingsInput) => {
    const r = await dispatch('backtests.run', { runId, settings });
    if (!r.ok) throw new Error(r.error.message);
    return backtestSummarySchema.parse(r.value);
  };

  it('each row equals the stored backtest at that threshold with the same settings, to the last digit', async () => {
    const settingsList: BacktestSettingsInput[] = [
      { takerFeeBps: 10, slippageBps: 2 },
      { direction: 'long-only', stopLoss: 0.01, takeProfit: 0.02, takerFeeBps: 7, makerFeeBps: 1, slippageBps: 3 },
      { sizing: 'confidence', fixedFraction: 0.5, maxHoldingBars: 12, stopUnit: 'atr', stopLoss: 2 },
      { fixedFraction: 1.5, maxLeverage: 2, takerFeeBps: 0, makerFeeBps: 0 },
    ];
    // Two classes: every prediction is at least 50 % confident, so the thresholds that matter lie above.
    const thresholds = [0, 0.52, 0.56];
    let traded = 0;
    for (const settings of settingsList) {
      const s = await sweep(settings, thresholds);
      expect(s.rows.map((r) => r.threshold)).toEqual(thresholds);
      for (const row of s.rows) {
        const bt = await plain({ ...settings, minConfidence: row.threshold });
        // toStrictEqual compares numbers with Object.is: a difference in the last bit fails.
        expect(row.portfolio).toStrictEqual(bt.portfolio);
        expect(row.symbols).toStrictEqual(bt.symbols);
        expect({ ...s.settings, minConfidence: row.threshold }).toStrictEqual(bt.settings);
        traded += bt.portfolio.trades as number;
      }
      expect(s.rows[2]!.portfolio.trades as number).toBeLessThan(s.rows[0]!.portfolio.trades as number);
    }
    expect(traded).toBeGreaterThan(0);
  });

  // This run loses before fees (breakevenFee.test.ts covers a profitable one); either way the figure must hold when re-run.
  it('reports the taker fee at which the portfolio breaks even, and it is one: re-run just below it gains, just above it loses', async () => {
    const settings: BacktestSettingsInput = { takerFeeBps: 3, slippageBps: 1, minConfidence: 0.52 };
    const bt = await plain(settings);
    const b = bt.breakeven!;
    expect(b).toBeTruthy();
    expect(b.maxBps).toBe(1000);
    const at = async (fee: number) => (await plain({ ...settings, takerFeeBps: fee })).portfolio.totalReturn as number;
    if (b.status === 'found') {
      // Bisected to 0.1 bps and reported at the bracket's midpoint: 0.05 bps either side is outside it.
      expect(await at(b.takerFeeBps! - 0.05)).toBeGreaterThan(0);
      expect(await at(b.takerFeeBps! + 0.05)).toBeLessThanOrEqual(0);
    } else if (b.status === 'unprofitable-at-zero-cost') {
      expect(b.takerFeeBps).toBe(0);
      expect(await at(0)).toBeLessThanOrEqual(0);
    } else {
      expect(b.takerFeeBps).toBeNull();
      expect(await at(1000)).toBeGreaterThan(0);
    }
    // Each symbol's return calendar compounds to its total return (it starts from the initial equity).
    for (const sym of bt.symbols) {
      const view = await dispatch('backtests.symbol', { backtestId: bt.backtestId, symbol: sym.symbol });
      if (!view.ok) throw new Error(view.error.message);
      const cal = (view.value as { calendar: { granularity: string; cells: (number | null)[][] } }).calendar;
      const compounded = cal.cells.flat().reduce((p: number, r) => p * (1 + (r ?? 0)), 1) - 1;
      expect(compounded).toBeCloseTo(sym.metrics.totalReturn as number, 10);
    }
    // Stored with the backtest: the list reads it back as it was computed.
    const listed = await dispatch('backtests.list', { runId });
    if (!listed.ok) throw new Error(listed.error.message);
    expect((listed.value as { backtests: { backtestId: number; breakeven?: unknown }[] }).backtests.find((x) => x.backtestId === bt.backtestId)?.breakeven).toStrictEqual(b);
  });

  it('uses the costs it is given', async () => {
    const free = await sweep({ takerFeeBps: 0, makerFeeBps: 0, slippageBps: 0 }, [0, 0.52]);
    const costly = await sweep({ takerFeeBps: 20, slippageBps: 5 }, [0, 0.52]);
    expect(costly.settings).toMatchObject({ takerFeeBps: 20, slippageBps: 5 });
    free.rows.forEach((row, i) => {
      const paid = costly.rows[i]!.portfolio;
      expect(paid.trades).toBeGreaterThan(0);
      expect(paid.feesPaid as number).toBeGreaterThan(0);
      expect(row.portfolio.feesPaid).toBe(0);
      expect(paid.totalReturn as number).toBeLessThan(row.portfolio.totalReturn as number);
    });
  });

  it('refuses a fixed funding rate on a run with no perpetual contract, and stores nothing', async () => {
    const before = await dispatch('backtests.list', { runId });
    const r = await dispatch('backtests.run', { runId, settings: { fundingSource: 'fixed', fundingRatePer8h: 0.0002 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('None of this run’s datasets is a perpetual contract, and a fixed funding rate is paid on perpetuals only; choose funding none.');
    expect(await dispatch('backtests.list', { runId })).toStrictEqual(before);
  });
});
