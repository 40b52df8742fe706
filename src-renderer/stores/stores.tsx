import { createContext, useContext, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { CandelaClient } from '../api/client.js';
import { createBacktestsStore, type BacktestsStoreState } from './backtestsStore.js';
import { createDatasetsStore, type DatasetsStoreState } from './datasetsStore.js';
import { createEvaluationStore, type EvaluationStoreState } from './evaluationStore.js';
import { createImportStore, type ImportStoreState } from './importStore.js';
import { createSystemStore, type SystemStoreState } from './systemStore.js';
import { createTrainingStore, type TrainingStoreState } from './trainingStore.js';
import { createRunsStore, type RunsStoreState } from './runsStore.js';
import { createSweepsStore, type SweepsStoreState } from './sweepsStore.js';

/** One store per domain; the import workflow is the datasets domain's second store. */
export interface Stores {
  datasets: StoreApi<DatasetsStoreState>;
  imports: StoreApi<ImportStoreState>;
  training: StoreApi<TrainingStoreState>;
  evaluation: StoreApi<EvaluationStoreState>;
  backtests: StoreApi<BacktestsStoreState>;
  system: StoreApi<SystemStoreState>;
  runs: StoreApi<RunsStoreState>;
  sweeps: StoreApi<SweepsStoreState>;
}

/** Every store, all talking to `client`: the app calls this once with the real client, a test with a fake one. */
export function createStores(client: CandelaClient): Stores {
  return {
    datasets: createDatasetsStore(client),
    imports: createImportStore(client),
    training: createTrainingStore(client),
    evaluation: createEvaluationStore(client),
    backtests: createBacktestsStore(client),
    system: createSystemStore(client),
    runs: createRunsStore(client),
    sweeps: createSweepsStore(client),
  };
}

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

/** The stores themselves, for actions in event handlers and effects (`stores.training.getState().refresh()`). */
export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside <StoresProvider>: main.tsx creates the stores and provides them.');
  return stores;
}

/*
 * Subscriptions: the component re-renders when the selected slice changes. A selector must return
 * state as stored (or a primitive): a new array or object on every call re-renders forever.
 */
export const useDatasetsStore = <T,>(selector: (s: DatasetsStoreState) => T): T => useStore(useStores().datasets, selector);
export const useImportStore = <T,>(selector: (s: ImportStoreState) => T): T => useStore(useStores().imports, selector);
export const useTrainingStore = <T,>(selector: (s: TrainingStoreState) => T): T => useStore(useStores().training, selector);
export const useEvaluationStore = <T,>(selector: (s: EvaluationStoreState) => T): T => useStore(useStores().evaluation, selector);
export const useBacktestsStore = <T,>(selector: (s: BacktestsStoreState) => T): T => useStore(useStores().backtests, selector);
export const useSystemStore = <T,>(selector: (s: SystemStoreState) => T): T => useStore(useStores().system, selector);
export const useRunsStore = <T,>(selector: (s: RunsStoreState) => T): T => useStore(useStores().runs, selector);
export const useSweepsStore = <T,>(selector: (s: SweepsStoreState) => T): T => useStore(useStores().sweeps, selector);
