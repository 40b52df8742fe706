import { useEffect, useState, type ComponentType } from 'react';
import { DropOverlay } from './components/import/DropOverlay.js';
import { NavBar } from './components/layout/NavBar.js';
import { StatusBar } from './components/layout/StatusBar.js';
import { DatasetsPage } from './pages/DatasetsPage.js';
import { PAGES, pageFromHash, type PageId } from './pages/routes.js';
import { SystemPage } from './pages/SystemPage.js';
import { TrainingPage } from './pages/TrainingPage.js';
import { EvaluationPage } from './pages/EvaluationPage.js';
import { BacktestsPage } from './pages/BacktestsPage.js';
import { RunsPage } from './pages/RunsPage.js';
import { SweepsPage } from './pages/SweepsPage.js';
import { useStores, useSystemStore } from './stores/stores.js';

const PAGE_COMPONENTS: Record<PageId, ComponentType> = {
  datasets: DatasetsPage,
  training: TrainingPage,
  evaluation: EvaluationPage,
  backtests: BacktestsPage,
  system: SystemPage,
  runs: RunsPage,
  sweeps: SweepsPage,
};

export function App() {
  const [page, setPage] = useState<PageId>(() => pageFromHash(location.hash));
  const stores = useStores();
  const connection = useSystemStore((s) => s.connection);
  const shell = useSystemStore((s) => s.shell);

  useEffect(() => stores.system.getState().connect(), [stores]);
  useEffect(() => stores.imports.getState().connect(), [stores]);
  useEffect(() => stores.training.getState().connect(), [stores]);
  useEffect(() => stores.datasets.getState().connect(), [stores]);
  useEffect(() => {
    // (Re)connected: whatever page is open, its lists are loaded fresh.
    if (connection === 'connected') {
      void stores.datasets.getState().refresh();
      void stores.training.getState().refresh();
    }
  }, [connection, stores]);
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
      {/* Focusable, so that a page with nothing to focus (System) can still be scrolled from the keyboard. */}
      <main className="content" id="main" tabIndex={0}>
        <Page />
      </main>
      <StatusBar shell={shell} />
      <DropOverlay />
    </div>
  );
}
