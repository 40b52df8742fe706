import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { builtFiles } from '../../test-support/fixtures.js';
import { trainingWorkspace, TRAINING_WORKER, type TrainingWorkspace } from '../../test-support/trainingWorkspace.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { backtestSummarySchema, type BacktestSettingsInput } from '../../src-shared/contract/backtests.js';

// A run over a perpetual and a spot market, as researchers mix them: a fixed funding rate is a
// perpetual swap's, so the spot symbol must trade exactly as it would without funding.
describe('a fixed funding rate on a run over spot and perpetual datasets (built worker)', () => {
  if (!requirePrerequisite(builtFiles(TRAINING_WORKER))) return;
  let ws: TrainingWorkspace;
  let runId = 0;
  let perpetual = '';
  let spot = '';

  beforeAll(async () => {
    // The generated BTC file renamed as its perpetual (`…_PERP_1h.csv`), ETH left as spot.
    ws = await trainingWorkspace('candela-funding-', { symbols: 2, bars: 2000, timeframe: '1h', seed: 7, signal: 0.4 }, (dir) => {
      const btc = readdirSync(dir).find((f) => f.startsWith('BTC_'))!;
      renameSync(join(dir, btc), join(dir, btc.replace('_1h', '_PERP_1h')));
    });
    const datasets = await ws.services.db.listDatasets();
    expect(datasets.map((d) => d.kind).sort()).toEqual(['perpetual', 'spot']);
    perpetual = datasets.find((d) => d.kind === 'perpetual')!.symbol;
    spot = datasets.find((d) => d.kind === 'spot')!.symbol;
    runId = await ws.start({ datasetIds: ws.datasetIds, model: 'mlp', window: 8, epochs: 1, batchSize: 64 });
    expect(await ws.services.training.whenSettled(runId)).toBe('completed');
  }, 180_000);
  afterAll(async () => {
    await ws?.close();
  });

  const backtest = async (settings: BacktestSettingsInput) => {
    const r = await ws.dispatch('backtests.run', { runId, settings });
    if (!r.ok) throw new Error(r.error.message);
    return backtestSummarySchema.parse(r.value);
  };

  it('charges the perpetual and not the spot market', async () => {
    // Long and short at every bar: positions are open across funding times on both symbols.
    const costs = { takerFeeBps: 5, slippageBps: 1 };
    const without = await backtest(costs);
    const funded = await backtest({ ...costs, fundingSource: 'fixed', fundingRatePer8h: 0.003 });
    const of = (bt: typeof without, symbol: string) => bt.symbols.find((s) => s.symbol === symbol)!.metrics;

    expect(of(funded, perpetual).trades as number).toBeGreaterThan(0);
    expect(of(funded, perpetual).fundingPaid).not.toBe(0);
    expect(of(funded, perpetual).totalReturn).not.toBe(of(without, perpetual).totalReturn);
    expect(of(funded, spot).fundingPaid).toBe(0);
    expect(of(funded, spot)).toStrictEqual(of(without, spot));
    // The equal-weight portfolio: half its equity in each symbol, so half the perpetual's funding.
    expect(funded.portfolio.fundingPaid as number).toBeCloseTo((of(funded, perpetual).fundingPaid as number) / 2, 12);
  });
});
