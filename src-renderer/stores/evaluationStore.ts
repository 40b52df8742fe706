import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BacktestSummary } from '../../src-shared/contract/backtests.js';
import type { RunAnalytics, StoredEvaluation } from '../../src-shared/contract/evaluation.js';
import type { CandelaClient } from '../api/client.js';
import { latestOnly } from './latestOnly.js';

export type { RunAnalytics, StoredEvaluation };

/** The cost side of a verdict: the run's newest backtest (its breakeven fee), null when it has none, or why it could not be read. */
export type CostCheck = { backtest: BacktestSummary | null; error: null } | { backtest: null; error: string };

export interface EvaluationState {
  runId: number | null;
  compareRunId: number | null;
  /** Evaluations by run; null where the run has none stored (it is then evaluated on first view). */
  byRun: Record<number, StoredEvaluation | null>;
  evaluating: number | null;
  /** The failure of a request for the run shown or compared; a failure of a run no longer shown is not kept. */
  error: string | null;
  /** Per run, its newest stored backtest, for the breakeven fee beside the verdict. */
  costCheck: Record<number, CostCheck>;
  /** Signal quality and regimes of the shown run: loading, its payload, or why it could not be computed. */
  analytics: { runId: number; status: 'loading' } | { runId: number; status: 'ready'; value: RunAnalytics } | { runId: number; status: 'failed'; error: string } | null;
}

export interface EvaluationActions {
  select(runId: number | null): Promise<void>;
  compareWith(runId: number | null): Promise<void>;
  evaluate(runId: number): Promise<void>;
  /** Reads the run's newest backtest again (the Backtests page or the CLI may have added one). */
  loadCostCheck(runId: number): Promise<void>;
  /** Computes the run's signal quality and regimes (with HMM regimes of 2 or 3 states when asked); only the newest request's answer is kept. */
  loadAnalytics(runId: number, hmmStates?: 2 | 3 | null): Promise<void>;
  /** The run's self-contained HTML report (with a backtest's sections when given), or why not. */
  report(runId: number, backtestId: number | null): Promise<{ html: string; fileName: string } | { error: string }>;
  /** The same report printed to PDF (by the desktop app's or the server's Chromium), or why not. */
  reportPdf(runId: number, backtestId: number | null): Promise<{ pdf: Uint8Array; fileName: string } | { error: string }>;
}

export type EvaluationStoreState = EvaluationState & EvaluationActions;
export type EvaluationStore = StoreApi<EvaluationStoreState>;

export const initialEvaluationState: EvaluationState = { runId: null, compareRunId: null, byRun: {}, evaluating: null, error: null, costCheck: {}, analytics: null };

export function createEvaluationStore(client: CandelaClient): EvaluationStore {
  return createStore<EvaluationStoreState>()((set, get) => {
    // Replies are kept per run, so a late one never shows under another run; it only must not
    // report a failure, or start an evaluation, for a run the person has moved away from.
    const onScreen = (runId: number) => get().runId === runId || get().compareRunId === runId;
    const analyticsRequests = latestOnly();

    async function loadLatest(runId: number) {
      const r = await client.invoke('evaluation.latest', { runId });
      if (!r.ok) {
        if (onScreen(runId)) set({ error: r.error.message });
        return;
      }
      set({ byRun: { ...get().byRun, [runId]: r.value } });
      // A finished run that was never evaluated is evaluated on first view.
      if (!r.value && onScreen(runId)) await get().evaluate(runId);
    }

    return {
      ...initialEvaluationState,
      async select(runId) {
        set({ runId, error: null });
        if (runId === null || get().byRun[runId] !== undefined) return;
        await loadLatest(runId);
      },
      async compareWith(runId) {
        set({ compareRunId: runId });
        if (runId !== null && get().byRun[runId] === undefined) await loadLatest(runId);
      },
      async evaluate(runId) {
        set({ evaluating: runId, error: null });
        const r = await client.invoke('evaluation.run', { runId });
        if (get().evaluating === runId) set({ evaluating: null });
        if (r.ok) set({ byRun: { ...get().byRun, [runId]: r.value } });
        else if (onScreen(runId)) set({ error: r.error.message });
      },
      async loadCostCheck(runId) {
        const r = await client.invoke('backtests.list', { runId });
        const check: CostCheck = r.ok ? { backtest: r.value.backtests[0] ?? null, error: null } : { backtest: null, error: r.error.message };
        set({ costCheck: { ...get().costCheck, [runId]: check } });
      },
      async loadAnalytics(runId, hmmStates = null) {
        const isLatest = analyticsRequests.begin();
        set({ analytics: { runId, status: 'loading' } });
        const r = await client.invoke('evaluation.analytics', { runId, hmmStates });
        if (!isLatest()) return;
        set({ analytics: r.ok ? { runId, status: 'ready', value: r.value } : { runId, status: 'failed', error: r.error.message } });
      },
      async report(runId, backtestId) {
        const r = await client.invoke('evaluation.report', { runId, backtestId });
        return r.ok ? r.value : { error: r.error.message };
      },
      async reportPdf(runId, backtestId) {
        const r = await client.invoke('evaluation.reportPdf', { runId, backtestId });
        if (!r.ok) return { error: r.error.message };
        const text = atob(r.value.pdfBase64);
        const pdf = new Uint8Array(text.length);
        for (let i = 0; i < text.length; i++) pdf[i] = text.charCodeAt(i);
        if (pdf.length !== r.value.bytes) return { error: `the PDF arrived with ${pdf.length} of its ${r.value.bytes} bytes.` };
        return { pdf, fileName: r.value.fileName };
      },
    };
  });
}

export const evaluationSelectors = {
  current: (s: EvaluationState) => (s.runId !== null ? s.byRun[s.runId] : undefined),
  compared: (s: EvaluationState) => (s.compareRunId !== null ? s.byRun[s.compareRunId] : undefined),
  /** Waiting for the shown run's evaluation: neither there nor failed. */
  costCheck: (s: EvaluationState) => (s.runId !== null ? (s.costCheck[s.runId] ?? null) : null),
  /** The analytics of the shown run; null while none was asked for it. */
  analytics: (s: EvaluationState) => (s.analytics && s.analytics.runId === s.runId ? s.analytics : null),
  loading: (s: EvaluationState) => s.runId !== null && s.byRun[s.runId] === undefined && s.error === null,
};
