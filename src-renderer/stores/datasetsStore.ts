import { create } from 'zustand';
import type { InstrumentChange } from '../../src-shared/compute/import/instrument.js';
import type { DatasetSummary } from '../../src-shared/contract/datasets.js';
import { getClient } from '../api/client.js';

interface DatasetsState {
  datasets: DatasetSummary[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
}

interface DatasetsActions {
  refresh(): Promise<void>;
  remove(id: number): Promise<boolean>;
  /** Renames a dataset's instrument; the sentence saying why when refused (the dataset is then unchanged). */
  rename(id: number, change: InstrumentChange): Promise<{ ok: true } | { ok: false; error: string }>;
}

export const initialDatasetsState: DatasetsState = { datasets: [], loaded: false, loading: false, error: null };

export const useDatasetsStore = create<DatasetsState & DatasetsActions>()((set, get) => ({
  ...initialDatasetsState,
  async refresh() {
    set({ loading: true });
    const r = await getClient().invoke('datasets.list', {});
    set(r.ok ? { datasets: r.value.datasets, loaded: true, loading: false, error: null } : { loading: false, error: r.error.message });
  },
  async remove(id) {
    const r = await getClient().invoke('datasets.delete', { id });
    if (!r.ok) {
      set({ error: r.error.message });
      return false;
    }
    set({ datasets: get().datasets.filter((d) => d.id !== id) });
    return true;
  },
  async rename(id, change) {
    const r = await getClient().invoke('datasets.rename', { id, ...change });
    if (!r.ok) return { ok: false, error: r.error.message };
    const renamed = r.value.dataset;
    set({ datasets: get().datasets.map((d) => (d.id === id ? renamed : d)) });
    return { ok: true };
  },
}));

export const datasetsSelectors = {
  isEmpty: (s: DatasetsState) => s.loaded && s.datasets.length === 0,
  totalRows: (s: DatasetsState) => s.datasets.reduce((n, d) => n + d.rows, 0),
};
