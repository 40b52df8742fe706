import { createStore, type StoreApi } from 'zustand/vanilla';
import { filterRuns, parseRunQuery, RunQueryError, sortRuns, type RunRecord } from '../../src-shared/compute/experiments/index.js';
import type { EnsembleResult, HParams, RunComparison, RunMetricName, RunRow, SeedGroup } from '../../src-shared/contract/runs.js';
import type { CandelaClient } from '../api/client.js';
import { latestOnly } from './latestOnly.js';

/** A row as the filter reads it: the run's record fields beside the row itself. */
type Listed = RunRecord & { row: RunRow };

export type Loadable<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; error: string } | null;

export interface RunsState {
  /** Every run (the list is filtered and sorted here, so typing in the filter never waits on the server); null until loaded. */
  all: Listed[] | null;
  listError: string | null;
  /** Field names a filter may use. */
  fields: string[];
  filter: string;
  /** Why the filter cannot be read; the table then keeps its last good result. */
  filterError: string | null;
  sort: { key: string; direction: 'asc' | 'desc' };
  /** The runs the filter keeps, in the sort's order. */
  visible: RunRow[];
  selected: number[];
  comparison: Loadable<RunComparison>;
  hparams: Loadable<HParams>;
  hparamsMetric: RunMetricName;
  groups: SeedGroup[];
  seeds: { busy: boolean; error: string | null; groupId: number | null };
  ensemble: { busy: boolean; error: string | null; result: EnsembleResult | null };
}

export interface RunsActions {
  /** Follows runs starting, ending and being evaluated; returns the unsubscribe. */
  connect(): () => void;
  refresh(): Promise<void>;
  setFilter(text: string): void;
  setSort(sort: { key: string; direction: 'asc' | 'desc' }): void;
  toggle(runId: number): void;
  /** Selects exactly these runs (e.g. all visible ones) or none. */
  select(runIds: number[]): void;
  /** Compares the selected runs and loads the HParams view for them. */
  compare(): Promise<void>;
  loadHparams(metric: RunMetricName): Promise<void>;
  repeatWithSeeds(runId: number, seeds: number, parallel: number): Promise<void>;
  makeEnsemble(weights: 'equal' | 'validation'): Promise<void>;
}

export type RunsStoreState = RunsState & RunsActions;
export type RunsStore = StoreApi<RunsStoreState>;

export const initialRunsState: RunsState = {
  all: null,
  listError: null,
  fields: [],
  filter: '',
  filterError: null,
  sort: { key: 'id', direction: 'desc' },
  visible: [],
  selected: [],
  comparison: null,
  hparams: null,
  hparamsMetric: 'accuracy',
  groups: [],
  seeds: { busy: false, error: null, groupId: null },
  ensemble: { busy: false, error: null, result: null },
};

function apply(all: Listed[], fields: string[], filter: string, sort: RunsState['sort']): { visible: RunRow[] } | { filterError: string } {
  try {
    const clauses = parseRunQuery(filter, fields);
    return { visible: sortRuns(filterRuns(all, clauses), sort.key, sort.direction).map((r) => r.row) };
  } catch (e) {
    if (e instanceof RunQueryError) return { filterError: e.message };
    throw e;
  }
}

export function createRunsStore(client: CandelaClient): RunsStore {
  const listRequest = latestOnly();
  const compareRequest = latestOnly();
  const hparamsRequest = latestOnly();
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  return createStore<RunsStoreState>()((set, get) => {
    const recompute = (patch: Partial<RunsState>) => {
      const s = { ...get(), ...patch };
      if (!s.all) return set(patch);
      const r = apply(s.all, s.fields, s.filter, s.sort);
      set({ ...patch, ...('visible' in r ? { visible: r.visible, filterError: null } : { filterError: r.filterError }) });
    };
    return {
      ...initialRunsState,
      connect() {
        // Many runs can end at once (a seed group, a sweep): one refresh per burst.
        const later = () => {
          if (refreshTimer) clearTimeout(refreshTimer);
          refreshTimer = setTimeout(() => {
            refreshTimer = null;
            void get().refresh();
          }, 300);
        };
        const offs = [client.on('training.status', later), client.on('training.evaluated', later)];
        return () => offs.forEach((off) => off());
      },
      async refresh() {
        const current = listRequest.begin();
        const [list, groups] = await Promise.all([client.invoke('runs.list', {}), client.invoke('runs.seedGroups', {})]);
        if (!current()) return;
        if (!list.ok) return set({ listError: list.error.message });
        const all: Listed[] = list.value.rows.map((row) => ({ id: row.summary.id, name: row.summary.name, status: row.summary.status, model: row.summary.model, tags: row.tags, sweepId: row.sweepId, values: row.values, row }));
        const known = new Set(all.map((r) => r.id));
        recompute({ all, fields: list.value.fields, listError: null, selected: get().selected.filter((id) => known.has(id)), ...(groups.ok ? { groups: groups.value.groups } : {}) });
      },
      setFilter(filter) {
        recompute({ filter });
      },
      setSort(sort) {
        recompute({ sort });
      },
      toggle(runId) {
        const s = get().selected;
        set({ selected: s.includes(runId) ? s.filter((id) => id !== runId) : [...s, runId] });
      },
      select(runIds) {
        set({ selected: [...new Set(runIds)] });
      },
      async compare() {
        const runIds = get().selected;
        const current = compareRequest.begin();
        if (runIds.length === 0) return set({ comparison: null, hparams: null });
        set({ comparison: { status: 'loading' } });
        const r = await client.invoke('runs.compare', { runIds });
        if (!current()) return;
        set({ comparison: r.ok ? { status: 'ready', value: r.value } : { status: 'failed', error: r.error.message } });
        if (runIds.length >= 2) await get().loadHparams(get().hparamsMetric);
        else set({ hparams: null });
        // Comparing may have evaluated runs that had no evaluation: their numbers now show in the table too.
        if (r.ok && r.value.evaluatedNow.length) await get().refresh();
      },
      async loadHparams(metric) {
        const runIds = get().selected;
        const current = hparamsRequest.begin();
        set({ hparamsMetric: metric, hparams: { status: 'loading' } });
        const r = await client.invoke('runs.hparams', { runIds, metric });
        if (!current()) return;
        set({ hparams: r.ok ? { status: 'ready', value: r.value } : { status: 'failed', error: r.error.message } });
      },
      async repeatWithSeeds(runId, seeds, parallel) {
        set({ seeds: { busy: true, error: null, groupId: null } });
        const r = await client.invoke('runs.seeds', { runId, seeds, parallel });
        set({ seeds: r.ok ? { busy: false, error: null, groupId: r.value.groupId } : { busy: false, error: r.error.message, groupId: null } });
        await get().refresh();
      },
      async makeEnsemble(weights) {
        set({ ensemble: { busy: true, error: null, result: null } });
        const r = await client.invoke('runs.ensemble', { runIds: get().selected, weights });
        set({ ensemble: r.ok ? { busy: false, error: null, result: r.value } : { busy: false, error: r.error.message, result: null } });
        if (r.ok) await get().refresh();
      },
    };
  });
}
