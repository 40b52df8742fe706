import { createStore, type StoreApi } from 'zustand/vanilla';
import { backtestSettingsFromStored, type MarketMonteCarlo, type MarketMonteCarloRequest, type BacktestAnalytics, type BacktestSettingsInput, type BacktestSummary, type BacktestSweep, type BacktestSymbolView } from '../../src-shared/contract/backtests.js';
import type { CandleColumnsPayload } from '../../src-shared/contract/datasets.js';
import type { CandelaClient } from '../api/client.js';
import { latestOnly } from './latestOnly.js';

/** One symbol of the shown backtest: its trades and series, and the candles they are drawn on. */
export interface SymbolDetail {
  backtestId: number;
  symbol: string;
  view: BacktestSymbolView | null;
  candles: CandleColumnsPayload | null;
  error: string | null;
}

export interface SweepState {
  runId: number;
  busy: boolean;
  result: BacktestSweep | null;
  error: string | null;
}

export interface BacktestsState {
  runId: number | null;
  /** Stored backtests of the run, newest first; null until loaded. */
  list: BacktestSummary[] | null;
  listError: string | null;
  currentId: number | null;
  compareId: number | null;
  symbol: string | null;
  detail: SymbolDetail | null;
  running: boolean;
  runError: string | null;
  sweep: SweepState | null;
  /**
   * A minimum confidence chosen on the Evaluation page for a run, which the Backtests form starts
   * from (with a note saying so) until a backtest is run with it or another run is picked.
   */
  carried: { runId: number; minConfidence: number } | null;
  /** Regimes, Monte Carlo, cost sensitivity and significance of the shown backtest: loading, its payload, or why not. */
  analytics: { backtestId: number; status: 'loading' } | { backtestId: number; status: 'ready'; value: BacktestAnalytics } | { backtestId: number; status: 'failed'; error: string } | null;
  /**
   * Monte Carlo of the market under a backtest (the model predicting again on resampled paths):
   * running with its progress, its result, or why not. Per backtest, so another backtest's stays.
   */
  market: Record<number, { status: 'running'; done: number; total: number } | { status: 'ready'; value: MarketMonteCarlo } | { status: 'failed'; error: string }>;
}

export interface BacktestsActions {
  /** Shows a run's stored backtests, the newest one opened. */
  selectRun(runId: number | null): Promise<void>;
  selectBacktest(backtestId: number | null): void;
  compareWith(backtestId: number | null): void;
  /** Opens a symbol of the shown backtest (trades, series and the candles under them); null closes it. */
  selectSymbol(symbol: string | null): Promise<void>;
  /** Backtests the selected run with these settings, stores it and shows it. */
  run(settings: BacktestSettingsInput): Promise<void>;
  /** Backtests the selected run at each minimum confidence, the other settings as given. */
  runSweep(settings: BacktestSettingsInput, thresholds: number[]): Promise<void>;
  /** Opens a run's backtests with the minimum confidence chosen on the Evaluation page carried over to the form. */
  carryFromEvaluation(runId: number, minConfidence: number): Promise<void>;
  /** Computes a stored backtest's analytics (with its own settings); only the newest request's answer is kept. */
  loadAnalytics(backtestId: number, hmmStates: 2 | 3 | null): Promise<void>;
  /** Resamples the market under a stored backtest; progress arrives as events until it answers. */
  resampleMarket(request: MarketMonteCarloRequest): Promise<void>;
  cancelMarket(backtestId: number): Promise<void>;
}

export type BacktestsStoreState = BacktestsState & BacktestsActions;
export type BacktestsStore = StoreApi<BacktestsStoreState>;

export const initialBacktestsState: BacktestsState = {
  runId: null,
  list: null,
  listError: null,
  currentId: null,
  compareId: null,
  symbol: null,
  detail: null,
  running: false,
  runError: null,
  sweep: null,
  carried: null,
  analytics: null,
  market: {},
};

/** Most candles the symbol chart asks for: the whole test period of a run on fine bars. */
const CHART_CANDLES = 200_000;

export function createBacktestsStore(client: CandelaClient): BacktestsStore {
  const listRequest = latestOnly();
  const detailRequest = latestOnly();
  const sweepRequest = latestOnly();
  const analyticsRequest = latestOnly();
  return createStore<BacktestsStoreState>()((set, get) => ({
    ...initialBacktestsState,
    async selectRun(runId) {
      const current = listRequest.begin();
      detailRequest.cancel();
      sweepRequest.cancel();
      const carried = get().carried?.runId === runId ? get().carried : null;
      set({ runId, list: null, listError: null, currentId: null, compareId: null, symbol: null, detail: null, running: false, runError: null, sweep: null, carried });
      if (runId === null) return;
      const r = await client.invoke('backtests.list', { runId });
      if (!current()) return;
      if (!r.ok) return set({ listError: r.error.message });
      set({ list: r.value.backtests, currentId: r.value.backtests[0]?.backtestId ?? null });
    },
    selectBacktest(backtestId) {
      set({ currentId: backtestId, ...(get().compareId === backtestId ? { compareId: null } : {}) });
      // The open symbol stays open, now read from this backtest.
      void get().selectSymbol(get().symbol);
    },
    compareWith(backtestId) {
      set({ compareId: backtestId });
    },
    async selectSymbol(symbol) {
      const current = detailRequest.begin();
      const backtestId = get().currentId;
      if (symbol === null || backtestId === null) return set({ symbol: null, detail: null });
      set({ symbol, detail: { backtestId, symbol, view: null, candles: null, error: null } });
      const failed = (error: string) => set({ detail: { backtestId, symbol, view: null, candles: null, error } });
      const r = await client.invoke('backtests.symbol', { backtestId, symbol });
      if (!current()) return;
      if (!r.ok) return failed(r.error.message);
      const view = r.value;
      const ts = view.series.ts;
      if (ts.length === 0) return set({ detail: { backtestId, symbol, view, candles: null, error: `${symbol} has no bars in this backtest.` } });
      const c = await client.invoke('datasets.candles', { id: view.datasetId, ...(view.timeframe ? { timeframe: view.timeframe } : {}), from: ts[0], to: ts[ts.length - 1], limit: CHART_CANDLES, anchor: 'first' });
      if (!current()) return;
      if (!c.ok) return set({ detail: { backtestId, symbol, view, candles: null, error: `The candles of ${symbol} could not be read: ${c.error.message}` } });
      set({ detail: { backtestId, symbol, view, candles: c.value.candles, error: null } });
    },
    async run(settings) {
      const runId = get().runId;
      if (runId === null) return;
      set({ running: true, runError: null });
      const r = await client.invoke('backtests.run', { runId, settings });
      // The backtest is stored whatever is on screen now; it is shown only under its own run.
      if (get().runId !== runId) return;
      set({ running: false });
      if (!r.ok) return set({ runError: r.error.message });
      // The carried threshold has done its job once a backtest shows the person's own settings.
      set({ list: [r.value, ...(get().list ?? [])], currentId: r.value.backtestId, carried: null });
      void get().selectSymbol(get().symbol);
    },
    async runSweep(settings, thresholds) {
      const runId = get().runId;
      if (runId === null) return;
      const current = sweepRequest.begin();
      set({ sweep: { runId, busy: true, result: get().sweep?.result ?? null, error: null } });
      const r = await client.invoke('backtests.sweep', { runId, settings, thresholds });
      if (!current()) return;
      set({ sweep: r.ok ? { runId, busy: false, result: r.value, error: null } : { runId, busy: false, result: null, error: r.error.message } });
    },
    async carryFromEvaluation(runId, minConfidence) {
      set({ carried: { runId, minConfidence } });
      await get().selectRun(runId);
    },
    async resampleMarket(request) {
      const { backtestId } = request;
      const put = (entry: BacktestsState['market'][number]) => set({ market: { ...get().market, [backtestId]: entry } });
      put({ status: 'running', done: 0, total: request.paths });
      const off = client.on('backtests.marketMonteCarloProgress', (p) => {
        if (p.backtestId === backtestId && get().market[backtestId]?.status === 'running') put({ status: 'running', done: p.done, total: p.total });
      });
      const r = await client.invoke('backtests.marketMonteCarlo', request);
      off();
      put(r.ok ? { status: 'ready', value: r.value } : { status: 'failed', error: r.error.code === 'CANCELLED' ? 'Cancelled.' : r.error.message });
    },
    async cancelMarket(backtestId) {
      await client.invoke('backtests.cancelMarketMonteCarlo', { backtestId });
    },
    async loadAnalytics(backtestId, hmmStates) {
      const current = analyticsRequest.begin();
      const bt = get().list?.find((b) => b.backtestId === backtestId);
      if (!bt) return;
      const settings = backtestSettingsFromStored(bt.settings);
      if (!settings) return set({ analytics: { backtestId, status: 'failed', error: `Backtest #${backtestId} was stored with settings outside what the form accepts; run it again to analyse it.` } });
      set({ analytics: { backtestId, status: 'loading' } });
      const r = await client.invoke('backtests.analytics', { runId: bt.runId, settings, options: { hmmStates } });
      if (!current()) return;
      set({ analytics: r.ok ? { backtestId, status: 'ready', value: r.value } : { backtestId, status: 'failed', error: r.error.message } });
    },
  }));
}

export const backtestsSelectors = {
  current: (s: BacktestsState) => s.list?.find((b) => b.backtestId === s.currentId) ?? null,
  /** The analytics of the shown backtest; null while none was asked for it. */
  analytics: (s: BacktestsState) => (s.analytics && s.analytics.backtestId === s.currentId ? s.analytics : null),
  compared: (s: BacktestsState) => s.list?.find((b) => b.backtestId === s.compareId) ?? null,
  /** The symbol detail when it belongs to the shown backtest and symbol (never an earlier selection's). */
  detail: (s: BacktestsState) => (s.detail && s.detail.backtestId === s.currentId && s.detail.symbol === s.symbol ? s.detail : null),
  /** The minimum confidence carried from Evaluation for the run on screen, or null. */
  carriedMinConfidence: (s: BacktestsState) => (s.carried && s.carried.runId === s.runId ? s.carried.minConfidence : null),
};
