import { useEffect, useState, type ComponentType } from 'react';
import { getClient } from './api/client.js';
import { DropOverlay } from './components/import/DropOverlay.js';
import { NavBar } from './components/layout/NavBar.js';
import { StatusBar } from './components/layout/StatusBar.js';
import { DatasetsPage } from './pages/DatasetsPage.js';
import { PAGES, pageFromHash, type PageId } from './pages/routes.js';
import { SystemPage } from './pages/SystemPage.js';
import { TrainingPage } from './pages/TrainingPage.js';
import { EvaluationPage } from './pages/EvaluationPage.js';
import { BacktestsPage } from './pages/BacktestsPage.js';
import { useDatasetsStore } from './stores/datasetsStore.js';
import { useImportStore } from './stores/importStore.js';
import { useTrainingStore } from './stores/trainingStore.js';
import { useSystemStore } from './stores/systemStore.js';

const PAGE_COMPONENTS: Record<PageId, ComponentType> = {
  datasets: DatasetsPage,
  training: TrainingPage,
  evaluation: EvaluationPage,
  backtests: BacktestsPage,
  system: SystemPage,
};

export function App() {
  const [page, setPage] = useState<PageId>(() => pageFromHash(location.hash));
  const connection = useSystemStore((s) => s.connection);

  useEffect(() => useSystemStore.getState().connect(), []);
  useEffect(() => useImportStore.getState().connect(), []);
  useEffect(() => useTrainingStore.getState().connect(), []);
  useEffect(() => getClient().on('datasets.changed', () => void useDatasetsStore.getState().refresh()), []);
  useEffect(() => {
    // (Re)connected: whatever page is open, its lists are loaded fresh.
    if (connection === 'connected') {
      void useDatasetsStore.getState().refresh();
      void useTrainingStore.getState().refresh();
    }
  }, [connection]);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash(location.hash));
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const target = PAGES.find((p) => p.key === e.key);
      if (target) {
        e.preventDefault();
        location.hash = `#/${target.id}`;
      }
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  const Page = PAGE_COMPONENTS[page];
  return (
    <div className="app">
      <NavBar current={page} onNavigate={(p) => (location.hash = `#/${p}`)} />
      <main className="content" id="main">
        <Page />
      </main>
      <StatusBar shell={getClient().shell} />
      <DropOverlay />
    </div>
  );
}
