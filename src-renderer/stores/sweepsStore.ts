import { createStore, type StoreApi } from 'zustand/vanilla';
import { sweepFieldName, sweepSpecSchema, type SweepDetail, type SweepSpecInput, type SweepSummary } from '../../src-shared/contract/sweeps.js';
import { trainingConfigProblems } from '../../src-shared/contract/training.js';
import type { CandelaClient } from '../api/client.js';
import { latestOnly } from './latestOnly.js';

export interface SweepsState {
  /** Every sweep, newest first; null until loaded. */
  list: SweepSummary[] | null;
  listError: string | null;
  selectedId: number | null;
  detail: SweepDetail | null;
  detailError: string | null;
  starting: boolean;
  /** Sentences saying what is wrong with the space as typed (empty when it would start). */
  problems: string[];
  /** The answer to the last pause / resume / stop, when it was refused. */
  actionError: string | null;
}

export interface SweepsActions {
  /** Follows sweeps.updated: the list and the open sweep refresh as trials report. Returns the unsubscribe. */
  connect(): () => void;
  refresh(): Promise<void>;
  select(sweepId: number | null): Promise<void>;
  /** Parses the space.json text with the form's settings; sets `problems` and returns the spec when valid. */
  check(spaceText: string, settings: Omit<SweepSpecInput, 'base' | 'params'>, datasetIds: number[]): SweepSpecInput | null;
  start(spec: SweepSpecInput): Promise<number | null>;
  pause(sweepId: number): Promise<void>;
  resume(sweepId: number): Promise<void>;
  stop(sweepId: number): Promise<void>;
}

export type SweepsStoreState = SweepsState & SweepsActions;
export type SweepsStore = StoreApi<SweepsStoreState>;

export const initialSweepsState: SweepsState = { list: null, listError: null, selectedId: null, detail: null, detailError: null, starting: false, problems: [], actionError: null };


export function createSweepsStore(client: CandelaClient): SweepsStore {
  const listRequest = latestOnly();
  const detailRequest = latestOnly();
  return createStore<SweepsStoreState>()((set, get) => ({
    ...initialSweepsState,
    connect() {
      return client.on('sweeps.updated', (p) => {
        void get().refresh();
        if (get().selectedId === p.sweepId) void get().select(p.sweepId);
      });
    },
    async refresh() {
      const current = listRequest.begin();
      const r = await client.invoke('sweeps.list', {});
      if (!current()) return;
      if (!r.ok) return set({ listError: r.error.message });
      set({ list: r.value.sweeps, listError: null });
      if (get().selectedId === null && r.value.sweeps[0]) void get().select(r.value.sweeps[0].sweepId);
    },
    async select(sweepId) {
      const current = detailRequest.begin();
      if (get().selectedId !== sweepId) set({ selectedId: sweepId, detail: null, detailError: null, actionError: null });
      if (sweepId === null) return;
      const r = await client.invoke('sweeps.get', { sweepId });
      if (!current()) return;
      if (!r.ok) return set({ detailError: r.error.message });
      set({ detail: r.value, detailError: null });
    },
    check(spaceText, settings, datasetIds) {
      let raw: unknown;
      try {
        raw = JSON.parse(spaceText);
      } catch (e) {
        set({ problems: [`The space is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`] });
        return null;
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('params' in raw)) {
        set({ problems: ['The space needs a "params" object, e.g. {"params": {"lr": {"float": [0.0001, 0.01], "log": true}}}, and may have a "base" object of training settings.'] });
        return null;
      }
      const file = raw as { base?: Record<string, unknown>; params: unknown };
      const spec = { ...settings, base: { ...(file.base ?? {}), ...(datasetIds.length ? { datasetIds } : {}) }, params: file.params } as SweepSpecInput;
      const parsed = sweepSpecSchema.safeParse(spec);
      if (!parsed.success) {
        set({ problems: trainingConfigProblems(parsed.error, sweepFieldName) });
        return null;
      }
      set({ problems: [] });
      return spec;
    },
    async start(spec) {
      set({ starting: true, problems: [] });
      const r = await client.invoke('sweeps.start', { spec });
      set({ starting: false });
      if (!r.ok) {
        set({ problems: [r.error.message] });
        return null;
      }
      // Opened first, so that the list's refresh does not open the newest sweep a second time.
      const opened = get().select(r.value.sweepId);
      await get().refresh();
      await opened;
      return r.value.sweepId;
    },
    async pause(sweepId) {
      const r = await client.invoke('sweeps.pause', { sweepId });
      set({ actionError: r.ok ? null : r.error.message });
      await get().select(sweepId);
    },
    async resume(sweepId) {
      const r = await client.invoke('sweeps.resume', { sweepId });
      set({ actionError: r.ok ? null : r.error.message });
      await get().select(sweepId);
    },
    async stop(sweepId) {
      const r = await client.invoke('sweeps.stop', { sweepId });
      set({ actionError: r.ok ? null : r.error.message });
      await get().select(sweepId);
    },
  }));
}
