import { create } from 'zustand';
import type { ModelSummaryPayload, RunDetail, RunSummary, TrainingConfigInput, TrainingPlan } from '../../src-shared/contract/training.js';
import { getClient } from '../api/client.js';

export interface LiveProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number | null;
  samplesPerSec: number | null;
  fold?: number;
}

interface TrainingState {
  runs: RunSummary[];
  selectedId: number | null;
  detail: RunDetail | null;
  progress: Record<number, LiveProgress>;
  summary: ModelSummaryPayload | null;
  summaryError: string | null;
  /** What the form's config would train on; null until asked or while the form is empty. */
  plan: TrainingPlan | null;
  planError: string | null;
  busy: boolean;
  error: string | null;
}

interface TrainingActions {
  connect(): () => void;
  refresh(): Promise<void>;
  select(runId: number | null): Promise<void>;
  start(config: TrainingConfigInput): Promise<void>;
  control(action: 'pause' | 'resume' | 'stop', runId: number): Promise<void>;
  remove(runId: number): Promise<void>;
  loadSummary(config: TrainingConfigInput): Promise<void>;
  loadPlan(config: TrainingConfigInput | null): Promise<void>;
}

/** Each plan request's number: a slower earlier answer must not replace a newer one. */
let planRequest = 0;

export const useTrainingStore = create<TrainingState & TrainingActions>()((set, get) => ({
  runs: [],
  selectedId: null,
  detail: null,
  progress: {},
  summary: null,
  summaryError: null,
  plan: null,
  planError: null,
  busy: false,
  error: null,
  connect() {
    const client = getClient();
    const offs = [
      client.on('training.progress', (p) => set({ progress: { ...get().progress, [p.runId]: p } })),
      client.on('training.epoch', ({ runId, metrics }) => {
        const d = get().detail;
        if (d && d.id === runId) set({ detail: { ...d, epochs: [...d.epochs.filter((e) => e.epoch !== metrics.epoch), metrics], epochsDone: Math.max(d.epochsDone, metrics.epoch) } });
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
    const r = await getClient().invoke('training.runs', {});
    if (r.ok) set({ runs: r.value.runs });
    else set({ error: r.error.message });
  },
  async select(runId) {
    set({ selectedId: runId });
    if (runId === null) return set({ detail: null });
    const r = await getClient().invoke('training.run', { runId });
    if (r.ok) set({ detail: r.value });
    else set({ error: r.error.message });
  },
  async start(config) {
    set({ busy: true, error: null });
    const r = await getClient().invoke('training.start', { config });
    set({ busy: false });
    if (!r.ok) return set({ error: r.error.message });
    await get().refresh();
    await get().select(r.value.runId);
  },
  async control(action, runId) {
    const channel = action === 'pause' ? 'training.pause' : action === 'resume' ? 'training.resume' : 'training.stop';
    const r = await getClient().invoke(channel, { runId });
    if (!r.ok) set({ error: r.error.message });
  },
  async remove(runId) {
    const r = await getClient().invoke('training.delete', { runId });
    if (!r.ok) return set({ error: r.error.message });
    if (get().selectedId === runId) set({ selectedId: null, detail: null });
    await get().refresh();
  },
  async loadPlan(config) {
    const mine = ++planRequest;
    if (config === null) return set({ plan: null, planError: null });
    const r = await getClient().invoke('training.plan', { config });
    if (mine !== planRequest) return;
    if (r.ok) set({ plan: r.value, planError: null });
    else set({ plan: null, planError: r.error.message });
  },
  async loadSummary(config) {
    set({ summary: null, summaryError: null });
    const r = await getClient().invoke('training.summary', { config });
    if (r.ok) set({ summary: r.value });
    else set({ summaryError: r.error.message });
  },
}));

export const trainingSelectors = {
  isActive: (r: RunSummary | RunDetail | null) => !!r && (r.status === 'running' || r.status === 'paused' || r.status === 'queued'),
};
