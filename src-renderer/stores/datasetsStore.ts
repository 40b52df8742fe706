import { createStore, type StoreApi } from 'zustand/vanilla';
import type { InstrumentChange } from '../../src-shared/compute/import/instrument.js';
import type { CandleColumnsPayload, DatasetSummary, HealthSummaryPayload } from '../../src-shared/contract/datasets.js';
import type { CandelaClient } from '../api/client.js';
import { datasetCsvParts, datasetCsvFileName } from '../api/exportCsv.js';
import { formatInt } from '../format.js';
import { latestOnly } from './latestOnly.js';

/** Bars fetched per request; older history arrives in pages of this size as the user scrolls left. */
export const CANDLE_PAGE = 2000;

/** The candles the dataset explorer chart shows. */
export interface ChartCandles {
  datasetId: number;
  timeframe: string;
  timeframes: string[];
  candles: CandleColumnsPayload;
  /** No older bars left to load. */
  exhausted: boolean;
  /** Bumped on each fresh load (not on older pages), so the chart knows when to jump to the newest bar. */
  generation: number;
}

/** The health report of the opened dataset, fetched once for the panel and the chart's markers. */
export interface DatasetHealth {
  summary: HealthSummaryPayload;
  flaggedTs: number[];
  flaggedLevel: number[];
}

export interface DatasetsState {
  datasets: DatasetSummary[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  chart: ChartCandles | null;
  chartLoading: boolean;
  chartError: string | null;
  /** Which dataset (and at how many rows: an import adds rows) `health` describes or is loading for. */
  healthKey: { id: number; rows: number } | null;
  health: DatasetHealth | null;
  healthError: string | null;
  /** A sentence on the running or failed CSV export; null when none. */
  exportStatus: string | null;
}

export interface DatasetsActions {
  /** Subscribes to "the list changed" events; returns the unsubscribe. */
  connect(): () => void;
  refresh(): Promise<void>;
  remove(id: number): Promise<boolean>;
  /** Renames a dataset's instrument; the sentence saying why when refused (the dataset is then unchanged). */
  rename(id: number, change: InstrumentChange): Promise<{ ok: true } | { ok: false; error: string }>;
  /** Loads the newest page of a dataset's candles at a timeframe (its own when omitted). */
  openChart(datasetId: number, timeframe?: string): Promise<void>;
  /** Prepends the page of bars before the oldest one loaded. */
  loadOlderCandles(): Promise<void>;
  /** Loads a dataset's health report unless the one shown or in flight already is for these rows. */
  loadHealth(dataset: Pick<DatasetSummary, 'id' | 'rows'>): Promise<void>;
  /** Reads every candle of a dataset as CSV; null (with `exportStatus` saying why) when it failed. */
  exportCsv(dataset: DatasetSummary): Promise<{ fileName: string; parts: string[] } | null>;
}

export type DatasetsStoreState = DatasetsState & DatasetsActions;
export type DatasetsStore = StoreApi<DatasetsStoreState>;

export const initialDatasetsState: DatasetsState = {
  datasets: [],
  loaded: false,
  loading: false,
  error: null,
  chart: null,
  chartLoading: false,
  chartError: null,
  healthKey: null,
  health: null,
  healthError: null,
  exportStatus: null,
};

function prepend(a: CandleColumnsPayload, older: CandleColumnsPayload): CandleColumnsPayload {
  return {
    ts: [...older.ts, ...a.ts],
    open: [...older.open, ...a.open],
    high: [...older.high, ...a.high],
    low: [...older.low, ...a.low],
    close: [...older.close, ...a.close],
    volume: [...older.volume, ...a.volume],
  };
}

export function createDatasetsStore(client: CandelaClient): DatasetsStore {
  const listRequest = latestOnly();
  const chartRequest = latestOnly();
  const healthRequest = latestOnly();
  let generation = 0;
  return createStore<DatasetsStoreState>()((set, get) => ({
    ...initialDatasetsState,
    connect() {
      return client.on('datasets.changed', () => void get().refresh());
    },
    async refresh() {
      const current = listRequest.begin();
      set({ loading: true });
      const r = await client.invoke('datasets.list', {});
      if (!current()) return;
      set(r.ok ? { datasets: r.value.datasets, loaded: true, loading: false, error: null } : { loading: false, error: r.error.message });
    },
    async remove(id) {
      const r = await client.invoke('datasets.delete', { id });
      if (!r.ok) {
        set({ error: r.error.message });
        return false;
      }
      set({ datasets: get().datasets.filter((d) => d.id !== id) });
      return true;
    },
    async rename(id, change) {
      const r = await client.invoke('datasets.rename', { id, ...change });
      if (!r.ok) return { ok: false, error: r.error.message };
      const renamed = r.value.dataset;
      set({ datasets: get().datasets.map((d) => (d.id === id ? renamed : d)) });
      return { ok: true };
    },
    async openChart(datasetId, timeframe) {
      const current = chartRequest.begin();
      set({ chartLoading: true, chartError: null, ...(get().chart?.datasetId === datasetId ? {} : { chart: null }) });
      const r = await client.invoke('datasets.candles', { id: datasetId, ...(timeframe ? { timeframe } : {}), limit: CANDLE_PAGE, anchor: 'last' });
      if (!current()) return;
      if (!r.ok) return set({ chartLoading: false, chartError: r.error.message });
      set({
        chartLoading: false,
        chart: { datasetId, timeframe: r.value.timeframe, timeframes: r.value.timeframes, candles: r.value.candles, exhausted: r.value.candles.ts.length < CANDLE_PAGE, generation: ++generation },
      });
    },
    async loadOlderCandles() {
      const { chart, chartLoading } = get();
      if (!chart || chart.exhausted || chartLoading || chart.candles.ts.length === 0) return;
      const current = chartRequest.begin();
      set({ chartLoading: true, chartError: null });
      const r = await client.invoke('datasets.candles', { id: chart.datasetId, timeframe: chart.timeframe, to: chart.candles.ts[0]! - 1, limit: CANDLE_PAGE, anchor: 'last' });
      if (!current()) return;
      if (!r.ok) return set({ chartLoading: false, chartError: r.error.message });
      set({ chartLoading: false, chart: { ...chart, candles: prepend(chart.candles, r.value.candles), exhausted: r.value.candles.ts.length < CANDLE_PAGE } });
    },
    async loadHealth({ id, rows }) {
      const key = get().healthKey;
      if (key && key.id === id && key.rows === rows && !get().healthError) return;
      const current = healthRequest.begin();
      set({ healthKey: { id, rows }, healthError: null, ...(key?.id === id ? {} : { health: null }) });
      const r = await client.invoke('datasets.health', { id });
      if (!current()) return;
      if (r.ok) set({ health: { summary: r.value.summary, flaggedTs: r.value.flaggedTs, flaggedLevel: r.value.flaggedLevel } });
      else set({ health: null, healthError: r.error.message });
    },
    async exportCsv(d) {
      set({ exportStatus: `Exporting ${d.symbol}…` });
      try {
        const parts = await datasetCsvParts(client, d, (n) => set({ exportStatus: `Exporting ${d.symbol}: ${formatInt(n)} rows` }));
        set({ exportStatus: null });
        return { fileName: datasetCsvFileName(d), parts };
      } catch (e) {
        set({ exportStatus: `Export failed: ${(e as Error).message}` });
        return null;
      }
    },
  }));
}

export const datasetsSelectors = {
  isEmpty: (s: DatasetsState) => s.loaded && s.datasets.length === 0,
  totalRows: (s: DatasetsState) => s.datasets.reduce((n, d) => n + d.rows, 0),
  /** The health report when it describes this dataset (not the one opened before it). */
  healthOf: (id: number) => (s: DatasetsState) => (s.healthKey?.id === id ? s.health : null),
  healthErrorOf: (id: number) => (s: DatasetsState) => (s.healthKey?.id === id ? s.healthError : null),
  /** The chart's candles when they are this dataset's. */
  chartOf: (id: number) => (s: DatasetsState) => (s.chart?.datasetId === id ? s.chart : null),
};
