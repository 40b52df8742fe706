import { create } from 'zustand';
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
}));

export const datasetsSelectors = {
  isEmpty: (s: DatasetsState) => s.loaded && s.datasets.length === 0,
  totalRows: (s: DatasetsState) => s.datasets.reduce((n, d) => n + d.rows, 0),
};
