/**
 * Monte Carlo of the market through the contract, on a small trained run (built training worker):
 * the signals are recomputed by the run's model on every resampled path.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles } from '../../test-support/fixtures.js';
import { trainingWorkspace, TRAINING_WORKER, type TrainingWorkspace } from '../../test-support/trainingWorkspace.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { backtestSummarySchema, marketMonteCarloSchema, type BacktestSummary, type MarketMonteCarloRequest } from '../../src-shared/contract/backtests.js';
import { marketMonteCarloFile, readMarketMonteCarlo } from './marketMonteCarlo.js';

describe('Monte Carlo of the market (built worker)', () => {
  if (!requirePrerequisite(builtFiles(TRAINING_WORKER))) return;
  let ws: TrainingWorkspace;
  let dispatch: TrainingWorkspace['dispatch'];
  let bt: BacktestSummary;

  beforeAll(async () => {
    ws = await trainingWorkspace('candela-market-mc-', { symbols: 2, bars: 1500, timeframe: '1h', seed: 6, signal: 0.4 });
    ({ dispatch } = ws);
    const runId = await ws.start({ datasetIds: ws.datasetIds, model: 'mlp', window: 8, epochs: 1, batchSize: 64 });
    expect(await ws.services.training.whenSettled(runId)).toBe('completed');
    const r = await dispatch('backtests.run', { runId, settings: { takerFeeBps: 5, slippageBps: 1, stopLoss: 0.01 } });
    if (!r.ok) throw new Error(r.error.message);
    bt = backtestSummarySchema.parse(r.value);
    expect(bt.portfolio.trades as number).toBeGreaterThan(0);
  }, 180_000);
  afterAll(async () => {
    await ws?.close();
  });

  const resample = async (request: Partial<MarketMonteCarloRequest>) => {
    const r = await dispatch('backtests.marketMonteCarlo', { backtestId: bt.backtestId, ...request });
    if (!r.ok) throw new Error(r.error.message);
    return marketMonteCarloSchema.parse(r.value);
  };

  it('with one block over the whole test period and no noise, every path is the real backtest (the pipeline is faithful)', async () => {
    const mc = await resample({ paths: 2, blockLength: 1_000_000, noise: 0 });
    expect(mc.paths).toBe(2);
    for (const p of ['p5', 'p50', 'p95'] as const) {
      expect(mc.finalReturn[p]).toBeCloseTo(bt.portfolio.totalReturn as number, 12);
      expect(mc.maxDrawdown[p]).toBeCloseTo(bt.portfolio.maxDrawdown as number, 12);
    }
    expect(mc.original).toStrictEqual({ totalReturn: bt.portfolio.totalReturn, maxDrawdown: bt.portfolio.maxDrawdown });
    expect(mc.method).toMatch(/signals recomputed/);
  }, 120_000);

  it('repeats exactly for a seed, spreads the outcome, reports progress and is saved beside the run for its report', async () => {
    const heard: { done: number; total: number }[] = [];
    const off = ws.services.events.subscribe((name, payload) => {
      if (name === 'backtests.marketMonteCarloProgress') heard.push(payload as { done: number; total: number });
    });
    const request = { paths: 6, blockLength: 12, noise: 0.3, seed: 7, drawdownThreshold: 0.05 };
    const a = await resample(request);
    off();
    const b = await resample(request);
    const other = await resample({ ...request, seed: 8 });
    const strip = ({ computedAt: _c, seconds: _s, ...rest }: typeof a) => rest;
    expect(strip(b)).toStrictEqual(strip(a));
    expect(other.maxDrawdownSamples).not.toStrictEqual(a.maxDrawdownSamples);
    expect(a.finalReturn.p95).toBeGreaterThan(a.finalReturn.p5);
    expect(a.probabilityDrawdownBeyond).toBe(a.maxDrawdownSamples.filter((d) => d > 0.05).length / 6);
    expect(heard.at(-1)).toEqual({ backtestId: bt.backtestId, done: 6, total: 6 });
    const run = await ws.services.db.getRun(bt.runId);
    expect(existsSync(marketMonteCarloFile(run!.checkpointDir, bt.backtestId))).toBe(true);
    expect(strip((await readMarketMonteCarlo(run!.checkpointDir, bt.backtestId))!)).toStrictEqual(strip(other));
  }, 120_000);

  it("shows the last market Monte Carlo in the run's report", async () => {
    const r = await dispatch('evaluation.report', { runId: bt.runId, backtestId: bt.backtestId });
    if (!r.ok) throw new Error(r.error.message);
    const html = (r.value as { html: string }).html;
    const start = html.indexOf('<section id="market-monte-carlo">');
    const part = html.slice(start, html.indexOf('</section>', start));
    expect(start).toBeGreaterThan(0);
    // The saved result (seed 8 last) with its percentiles and fan chart, labelled as re-running the model.
    expect(part).toContain('6 paths, seed 8');
    expect(part).toContain('the model predicts again on every path');
    expect(part).toMatch(/<svg[^>]*class="chart"/);
  }, 120_000);

  it('can be cancelled, and refuses a backtest that does not exist', async () => {
    const off = ws.services.events.subscribe((name) => {
      if (name === 'backtests.marketMonteCarloProgress') void dispatch('backtests.cancelMarketMonteCarlo', { backtestId: bt.backtestId });
    });
    const r = await dispatch('backtests.marketMonteCarlo', { backtestId: bt.backtestId, paths: 500 });
    off();
    expect(r).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const missing = await dispatch('backtests.marketMonteCarlo', { backtestId: 999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Backtest 999 does not exist.' } });
    expect(await dispatch('backtests.cancelMarketMonteCarlo', { backtestId: bt.backtestId })).toMatchObject({ ok: true, value: { cancelled: false } });
  }, 120_000);
});
