import { create } from 'zustand';
import type { EvaluationReport } from '../../src-shared/compute/metrics/evaluationReport.js';
import { getClient } from '../api/client.js';

export interface StoredEvaluation {
  evaluationId: number;
  runId: number;
  createdAt: number;
  report: EvaluationReport;
}

interface EvaluationState {
  runId: number | null;
  compareRunId: number | null;
  byRun: Record<number, StoredEvaluation | null>;
  evaluating: number | null;
  error: string | null;
}

interface EvaluationActions {
  select(runId: number | null): Promise<void>;
  compareWith(runId: number | null): Promise<void>;
  evaluate(runId: number): Promise<void>;
}

async function latest(runId: number): Promise<StoredEvaluation | null> {
  const r = await getClient().invoke('evaluation.latest', { runId });
  return r.ok && r.value ? (r.value as unknown as StoredEvaluation) : null;
}

export const useEvaluationStore = create<EvaluationState & EvaluationActions>()((set, get) => ({
  runId: null,
  compareRunId: null,
  byRun: {},
  evaluating: null,
  error: null,
  async select(runId) {
    set({ runId, error: null });
    if (runId === null || get().byRun[runId] !== undefined) return;
    const e = await latest(runId);
    set({ byRun: { ...get().byRun, [runId]: e } });
    // A finished run that was never evaluated is evaluated on first view.
    if (!e) await get().evaluate(runId);
  },
  async compareWith(runId) {
    set({ compareRunId: runId });
    if (runId !== null && get().byRun[runId] === undefined) {
      const e = await latest(runId);
      set({ byRun: { ...get().byRun, [runId]: e } });
      if (!e) await get().evaluate(runId);
    }
  },
  async evaluate(runId) {
    set({ evaluating: runId, error: null });
    const r = await getClient().invoke('evaluation.run', { runId });
    set({ evaluating: null });
    if (!r.ok) return set({ error: r.error.message });
    set({ byRun: { ...get().byRun, [runId]: r.value as unknown as StoredEvaluation } });
  },
}));
