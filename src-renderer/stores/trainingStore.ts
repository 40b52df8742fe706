import { createStore, type StoreApi } from 'zustand/vanilla';
import { BATCH_HISTORY_CAP, batchPosition, isFinishedRunStatus, type BatchPoint, type ModelSummaryPayload, type RunDetail, type RunSummary, type TrainingConfigInput, type TrainingPlan } from '../../src-shared/contract/training.js';
import type { ResponseOf } from '../../src-shared/contract/index.js';
import type { CandelaClient } from '../api/client.js';
import { latestOnly } from './latestOnly.js';

export interface LiveProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number | null;
  samplesPerSec: number | null;
  fold?: number;
}

/**
 * The open run's per-batch curve: what the host stored, then the live reports that came after it.
 * A report that is not past the curve's end (a late or repeated one) is dropped, so the curve never
 * runs backwards; past twice the host's cap, every other point is let go (the newest kept).
 */
export function mergeBatchHistory(history: readonly BatchPoint[], live: readonly BatchPoint[]): BatchPoint[] {
  const out = [...history];
  let end = out.length ? batchPosition(out[out.length - 1]!) : -Infinity;
  for (const p of live) {
    const at = batchPosition(p);
    if (at <= end) continue;
    out.push(p);
    end = at;
  }
  return out.length > 2 * BATCH_HISTORY_CAP ? out.filter((_, i) => i % 2 === (out.length - 1) % 2) : out;
}

export type ExportedModelFile = ResponseOf<'training.exportModel'>['files'][number];

export interface TrainingState {
  runs: RunSummary[];
  selectedId: number | null;
  detail: RunDetail | null;
  progress: Record<number, LiveProgress>;
  summary: ModelSummaryPayload | null;
  summaryError: string | null;
  /** A summary of the form's newer config is on its way; the one shown is the previous config's. */
  summaryLoading: boolean;
  /** What the form's config would train on; null until asked or while the form is empty. */
  plan: TrainingPlan | null;
  planError: string | null;
  busy: boolean;
  error: string | null;
}

export interface TrainingActions {
  connect(): () => void;
  refresh(): Promise<void>;
  select(runId: number | null): Promise<void>;
  start(config: TrainingConfigInput): Promise<void>;
  control(action: 'pause' | 'resume' | 'stop', runId: number): Promise<void>;
  remove(runId: number): Promise<void>;
  loadSummary(config: TrainingConfigInput): Promise<void>;
  loadPlan(config: TrainingConfigInput | null): Promise<void>;
  /** A finished run's model files (model.json, weights.bin, preprocessing.json); null with `error` set when refused. */
  exportModel(runId: number): Promise<ExportedModelFile[] | null>;
}

export type TrainingStoreState = TrainingState & TrainingActions;
export type TrainingStore = StoreApi<TrainingStoreState>;

export const initialTrainingState: TrainingState = {
  runs: [],
  selectedId: null,
  detail: null,
  progress: {},
  summary: null,
  summaryError: null,
  summaryLoading: false,
  plan: null,
  planError: null,
  busy: false,
  error: null,
};

export function createTrainingStore(client: CandelaClient): TrainingStore {
  // Events refresh the list and the open run many times a second while training: only the newest reply counts.
  const runsRequest = latestOnly();
  const runRequest = latestOnly();
  const planRequest = latestOnly();
  const summaryRequest = latestOnly();
  return createStore<TrainingStoreState>()((set, get) => ({
    ...initialTrainingState,
    connect() {
      const offs = [
        client.on('training.progress', (p) => {
          const d = get().detail;
          const progress = { ...get().progress, [p.runId]: p };
          if (!d || d.id !== p.runId) return set({ progress });
          const point: BatchPoint = { epoch: p.epoch, batch: p.batch, batches: p.batches, step: (p.epoch - 1) * p.batches + p.batch, loss: p.recentLoss, samplesPerSec: p.samplesPerSec, at: Date.now() };
          const batchHistory = mergeBatchHistory(d.batchHistory, [point]);
          set(batchHistory.length === d.batchHistory.length ? { progress } : { progress, detail: { ...d, batchHistory } });
        }),
        client.on('training.epoch', ({ runId, metrics }) => {
          const d = get().detail;
          if (d && d.id === runId) {
            set({ detail: { ...d, epochs: [...d.epochs.filter((e) => e.epoch !== metrics.epoch), metrics], epochsDone: Math.max(d.epochsDone, metrics.epoch) } });
            // What the run learned since it was opened (its backend, its model's size) comes with the detail.
            void get().select(runId);
          }
          void get().refresh();
        }),
        client.on('training.evaluated', ({ runId }) => {
          void get().refresh();
          if (get().selectedId === runId) void get().select(runId);
        }),
        client.on('training.status', ({ runId }) => {
          void get().refresh();
          if (get().selectedId === runId) void get().select(runId);
        }),
      ];
      return () => offs.forEach((off) => off());
    },
    async refresh() {
      const current = runsRequest.begin();
      const r = await client.invoke('training.runs', {});
      if (!current()) return;
      if (r.ok) set({ runs: r.value.runs });
      else set({ error: r.error.message });
    },
    async select(runId) {
      const current = runRequest.begin();
      set({ selectedId: runId });
      if (runId === null) return set({ detail: null });
      const r = await client.invoke('training.run', { runId });
      if (!current()) return;
      if (!r.ok) return set({ error: r.error.message });
      // Reports that arrived while the request was out are newer than what the host had stored.
      const open = get().detail;
      set({ detail: open && open.id === runId ? { ...r.value, batchHistory: mergeBatchHistory(r.value.batchHistory, open.batchHistory) } : r.value });
    },
    async start(config) {
      set({ busy: true, error: null });
      const r = await client.invoke('training.start', { config });
      set({ busy: false });
      if (!r.ok) return set({ error: r.error.message });
      await get().refresh();
      await get().select(r.value.runId);
    },
    async control(action, runId) {
      const channel = action === 'pause' ? 'training.pause' : action === 'resume' ? 'training.resume' : 'training.stop';
      const r = await client.invoke(channel, { runId });
      if (!r.ok) set({ error: r.error.message });
    },
    async remove(runId) {
      const r = await client.invoke('training.delete', { runId });
      if (!r.ok) return set({ error: r.error.message });
      if (get().selectedId === runId) {
        runRequest.cancel();
        set({ selectedId: null, detail: null });
      }
      await get().refresh();
    },
    async loadPlan(config) {
      const current = planRequest.begin();
      if (config === null) return set({ plan: null, planError: null });
      const r = await client.invoke('training.plan', { config });
      if (!current()) return;
      if (r.ok) set({ plan: r.value, planError: null });
      else set({ plan: null, planError: r.error.message });
    },
    async loadSummary(config) {
      const current = summaryRequest.begin();
      // The previous model stays on screen, marked as updating, so the table does not flicker away.
      set({ summaryLoading: true, summaryError: null });
      const r = await client.invoke('training.summary', { config });
      if (!current()) return;
      if (r.ok) set({ summary: r.value, summaryLoading: false });
      else set({ summary: null, summaryError: r.error.message, summaryLoading: false });
    },
    async exportModel(runId) {
      const r = await client.invoke('training.exportModel', { runId });
      if (r.ok) return r.value.files;
      set({ error: r.error.message });
      return null;
    },
  }));
}

export const trainingSelectors = {
  isActive: (r: RunSummary | RunDetail | null) => !!r && (r.status === 'running' || r.status === 'paused' || r.status === 'queued'),
  /** A run with out-of-sample results to evaluate or backtest. Filter with it in a useMemo: a selector returning a new array re-renders forever. */
  isFinished: (r: RunSummary) => isFinishedRunStatus(r.status),
};
