import { describe, expect, it } from 'vitest';
import { backtestsSelectors, createBacktestsStore } from './backtestsStore.js';
import { createFakeClient } from './testing/fakeClient.js';
import { backtest, backtestAnalytics, candles, metrics, resolvedSettings, symbolView } from './testing/fixtures.js';

function setup() {
  const fake = createFakeClient();
  return { fake, store: createBacktestsStore(fake.client) };
}

const SYMBOL = 'SYM1/USDT';

describe('backtests store: runs and stored backtests', () => {
  it("lists a run's backtests and opens the newest", async () => {
    const { fake, store } = setup();
    void store.getState().selectRun(7);
    await fake.next('backtests.list').ok({ backtests: [backtest(12, 7), backtest(11, 7)] });
    expect(store.getState()).toMatchObject({ runId: 7, currentId: 12, listError: null });
    expect(backtestsSelectors.current(store.getState())?.backtestId).toBe(12);
  });

  it('shows why the list could not be read', async () => {
    const { fake, store } = setup();
    void store.getState().selectRun(7);
    await fake.next('backtests.list').fail('INTERNAL', 'database is locked');
    expect(store.getState()).toMatchObject({ list: null, listError: 'database is locked' });
  });

  it('keeps the run picked last when an earlier pick answers later', async () => {
    const { fake, store } = setup();
    void store.getState().selectRun(7);
    void store.getState().selectRun(8);
    const [first, second] = fake.pending('backtests.list');
    await second!.ok({ backtests: [backtest(21, 8)] });
    await first!.ok({ backtests: [backtest(12, 7)] });
    expect(store.getState()).toMatchObject({ runId: 8, currentId: 21 });
    expect(store.getState().list!.map((b) => b.runId)).toEqual([8]);
  });

  it('runs a backtest and shows it first, or says why not', async () => {
    const { fake, store } = setup();
    void store.getState().selectRun(7);
    await fake.next('backtests.list').ok({ backtests: [backtest(11, 7)] });
    const ran = store.getState().run({ takerFeeBps: 10 });
    expect(store.getState().running).toBe(true);
    expect(fake.next('backtests.run').request).toEqual({ runId: 7, settings: { takerFeeBps: 10 } });
    await fake.next('backtests.run').ok(backtest(12, 7));
    await ran;
    expect(store.getState()).toMatchObject({ running: false, currentId: 12 });
    expect(store.getState().list!.map((b) => b.backtestId)).toEqual([12, 11]);

    void store.getState().run({ takerFeeBps: 10 });
    await fake.next('backtests.run').fail('CONFLICT', 'Run 7 has no test predictions.');
    expect(store.getState()).toMatchObject({ running: false, runError: 'Run 7 has no test predictions.' });
  });

  it("a backtest finishing after the person switched runs is not shown under the other run", async () => {
    const { fake, store } = setup();
    void store.getState().selectRun(7);
    await fake.next('backtests.list').ok({ backtests: [] });
    void store.getState().run({});
    void store.getState().selectRun(8);
    await fake.next('backtests.list').ok({ backtests: [backtest(21, 8)] });
    await fake.next('backtests.run').ok(backtest(12, 7));
    expect(store.getState().list!.map((b) => b.backtestId)).toEqual([21]);
    expect(store.getState().running).toBe(false);
  });
});

describe('backtests store: a symbol', () => {
  async function opened() {
    const s = setup();
    void s.store.getState().selectRun(7);
    await s.fake.next('backtests.list').ok({ backtests: [backtest(12, 7), backtest(11, 7)] });
    return s;
  }

  it('reads the trades, then the candles over the same bars', async () => {
    const { fake, store } = await opened();
    void store.getState().selectSymbol(SYMBOL);
    expect(fake.next('backtests.symbol').request).toEqual({ backtestId: 12, symbol: SYMBOL });
    const view = symbolView(3);
    await fake.next('backtests.symbol').ok(view);
    expect(fake.next('datasets.candles').request).toMatchObject({ id: 3, timeframe: '1h', from: view.series.ts[0], to: view.series.ts[2], anchor: 'first' });
    await fake.next('datasets.candles').ok({ id: 3, timeframe: '1h', timeframes: ['1h'], candles: candles(3) });
    expect(backtestsSelectors.detail(store.getState())).toMatchObject({ backtestId: 12, symbol: SYMBOL, error: null });
    expect(backtestsSelectors.detail(store.getState())?.candles?.ts).toHaveLength(3);
  });

  it('says why, instead of loading forever, when the trades or the candles fail', async () => {
    const { fake, store } = await opened();
    void store.getState().selectSymbol(SYMBOL);
    await fake.next('backtests.symbol').fail('NOT_FOUND', 'Backtest 12 has no symbol SYM1/USDT.');
    expect(backtestsSelectors.detail(store.getState())).toMatchObject({ view: null, error: 'Backtest 12 has no symbol SYM1/USDT.' });

    void store.getState().selectSymbol(SYMBOL);
    await fake.next('backtests.symbol').ok(symbolView(3));
    await fake.next('datasets.candles').fail('NOT_FOUND', 'Dataset 3 does not exist.');
    expect(backtestsSelectors.detail(store.getState())?.error).toContain('Dataset 3 does not exist.');
  });

  it('a symbol picked later wins over a slower earlier one', async () => {
    const { fake, store } = await opened();
    void store.getState().selectSymbol('A');
    void store.getState().selectSymbol('B');
    const [a, b] = fake.pending('backtests.symbol');
    await b!.ok(symbolView(2));
    await a!.ok(symbolView(1));
    // Only B's candles are asked for; A's reply was dropped before it asked for any.
    expect(fake.pending('datasets.candles').map((c) => c.request.id)).toEqual([2]);
    await fake.next('datasets.candles').ok({ id: 2, timeframe: '1h', timeframes: ['1h'], candles: candles(3) });
    expect(backtestsSelectors.detail(store.getState())).toMatchObject({ symbol: 'B', view: { datasetId: 2 } });
  });

  it('stays open, read from the backtest picked next', async () => {
    const { fake, store } = await opened();
    void store.getState().selectSymbol(SYMBOL);
    store.getState().selectBacktest(11);
    const [, again] = fake.pending('backtests.symbol');
    expect(again!.request).toEqual({ backtestId: 11, symbol: SYMBOL });
    await again!.ok(symbolView(3));
    await fake.pending('backtests.symbol')[0]!.ok(symbolView(9));
    await fake.next('datasets.candles').ok({ id: 3, timeframe: '1h', timeframes: ['1h'], candles: candles(3) });
    expect(backtestsSelectors.detail(store.getState())).toMatchObject({ backtestId: 11, view: { datasetId: 3 } });
  });
});

describe('backtests store: the threshold sweep', () => {
  const sweepOf = (threshold: number) => ({ settings: resolvedSettings(), rows: [{ threshold, portfolio: metrics(0.1), symbols: [] }] });

  it('sweeps, or shows why it could not', async () => {
    const { fake, store } = setup();
    void store.getState().selectRun(7);
    await fake.next('backtests.list').ok({ backtests: [] });
    void store.getState().runSweep({ takerFeeBps: 10 }, [0.5, 0.6]);
    expect(store.getState().sweep).toMatchObject({ busy: true });
    await fake.next('backtests.sweep').ok(sweepOf(0.5));
    expect(store.getState().sweep).toMatchObject({ runId: 7, busy: false, error: null, result: { rows: [{ threshold: 0.5 }] } });

    void store.getState().runSweep({}, [0.5]);
    await fake.next('backtests.sweep').fail('BAD_REQUEST', 'thresholds must be between 0 and 1.');
    expect(store.getState().sweep).toMatchObject({ busy: false, result: null, error: 'thresholds must be between 0 and 1.' });
  });

  it("drops a sweep of the run shown before", async () => {
    const { fake, store } = setup();
    void store.getState().selectRun(7);
    await fake.next('backtests.list').ok({ backtests: [] });
    void store.getState().runSweep({}, [0.5]);
    void store.getState().selectRun(8);
    await fake.next('backtests.list').ok({ backtests: [] });
    await fake.next('backtests.sweep').ok(sweepOf(0.5));
    expect(store.getState().sweep).toBeNull();
  });
});

describe('backtests store: minimum confidence carried from Evaluation', () => {
  it('opens the run with the carried threshold until a backtest is run or another run picked', async () => {
    const { fake, store } = setup();
    const carried = store.getState().carryFromEvaluation(7, 0.55);
    await fake.next('backtests.list').ok({ backtests: [backtest(11, 7)] });
    await carried;
    expect(store.getState()).toMatchObject({ runId: 7, currentId: 11 });
    expect(backtestsSelectors.carriedMinConfidence(store.getState())).toBe(0.55);

    // Coming back to the page re-reads the run's list: the carried threshold stays.
    void store.getState().selectRun(7);
    await fake.next('backtests.list').ok({ backtests: [backtest(11, 7)] });
    expect(backtestsSelectors.carriedMinConfidence(store.getState())).toBe(0.55);

    void store.getState().run({ minConfidence: 0.55 });
    await fake.next('backtests.run').ok(backtest(12, 7));
    expect(backtestsSelectors.carriedMinConfidence(store.getState())).toBeNull();
  });

  it('belongs to its run only', async () => {
    const { fake, store } = setup();
    void store.getState().carryFromEvaluation(7, 0.6);
    await fake.next('backtests.list').ok({ backtests: [] });
    void store.getState().selectRun(8);
    await fake.next('backtests.list').ok({ backtests: [] });
    expect(backtestsSelectors.carriedMinConfidence(store.getState())).toBeNull();
    expect(store.getState().carried).toBeNull();
  });
});

describe('backtests store: analytics of the shown backtest', () => {
  it("asks with the backtest's own form settings and run, keeps only the newest answer, and says why it failed", async () => {
    const { fake, store } = setup();
    void store.getState().selectRun(7);
    await fake.next('backtests.list').ok({ backtests: [backtest(12, 7), backtest(11, 7)] });
    void store.getState().loadAnalytics(12, null);
    void store.getState().loadAnalytics(12, 2);
    const [first, second] = fake.pending('backtests.analytics');
    expect(first!.request).toMatchObject({ runId: 7, settings: { minConfidence: 0, takerFeeBps: resolvedSettings().takerFeeBps }, options: { hmmStates: null } });
    expect(second!.request).toMatchObject({ options: { hmmStates: 2 } });
    await second!.ok(backtestAnalytics(7));
    await first!.fail('INTERNAL', 'stale');
    expect(backtestsSelectors.analytics(store.getState())).toMatchObject({ backtestId: 12, status: 'ready' });
    // Another backtest shown: the first one's analytics are not shown under it.
    store.getState().selectBacktest(11);
    expect(backtestsSelectors.analytics(store.getState())).toBeNull();
    void store.getState().loadAnalytics(11, null);
    await fake.next('backtests.analytics').fail('CONFLICT', 'Run 7 is running; only finished runs can be backtested.');
    expect(backtestsSelectors.analytics(store.getState())).toEqual({ backtestId: 11, status: 'failed', error: 'Run 7 is running; only finished runs can be backtested.' });
  });
});

describe('backtests store: the resampled market', () => {
  const request = { backtestId: 12, paths: 4, blockLength: null, noise: 0, seed: 1, drawdownThreshold: 0.2 };

  it('follows the progress of its own backtest, then keeps the result beside other backtests', async () => {
    const { fake, store } = setup();
    void store.getState().resampleMarket(request);
    expect(store.getState().market[12]).toEqual({ status: 'running', done: 0, total: 4 });
    fake.emit('backtests.marketMonteCarloProgress', { backtestId: 99, done: 3, total: 10 });
    fake.emit('backtests.marketMonteCarloProgress', { backtestId: 12, done: 2, total: 4 });
    expect(store.getState().market[12]).toEqual({ status: 'running', done: 2, total: 4 });
    expect(store.getState().market[99]).toBeUndefined();
    const band = { p5: -0.1, p50: 0.02, p95: 0.12 };
    const value = {
      ...{ backtestId: 12, runId: 7, method: 'moving-block bootstrap', seed: 1, blockLength: 8, noise: 0, sharedBlocks: true, computedAt: 1, seconds: 2 },
      ...{ original: { totalReturn: 0.03, maxDrawdown: 0.05 }, paths: 4, steps: 100, finalReturn: band, maxDrawdown: band, longestDrawdown: { p5: 3, p50: 10, p95: 40 } },
      ...{ worst5PercentFinalReturn: -0.12, drawdownThreshold: 0.2, probabilityDrawdownBeyond: 0.25, fan: { steps: [0, 100], levels: [0.5], bands: [[1, 1.02]] }, maxDrawdownSamples: [0.1, 0.2, 0.3, 0.05] },
    };
    await fake.next('backtests.marketMonteCarlo').ok(value);
    expect(store.getState().market[12]).toEqual({ status: 'ready', value });
    // A late progress event does not turn a finished result back into a progress bar.
    fake.emit('backtests.marketMonteCarloProgress', { backtestId: 12, done: 4, total: 4 });
    expect(store.getState().market[12]?.status).toBe('ready');
  });

  it('says cancelled when cancelled, and the server’s sentence otherwise', async () => {
    const { fake, store } = setup();
    void store.getState().resampleMarket(request);
    void store.getState().cancelMarket(12);
    await fake.next('backtests.cancelMarketMonteCarlo').ok({ cancelled: true });
    await fake.next('backtests.marketMonteCarlo').fail('CANCELLED', 'The market resampling was cancelled.');
    expect(store.getState().market[12]).toEqual({ status: 'failed', error: 'Cancelled.' });
    void store.getState().resampleMarket(request);
    await fake.next('backtests.marketMonteCarlo').fail('UNSUPPORTED', 'Run 3 is walk-forward.');
    expect(store.getState().market[12]).toEqual({ status: 'failed', error: 'Run 3 is walk-forward.' });
  });
});
