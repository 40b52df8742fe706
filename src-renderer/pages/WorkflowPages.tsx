import { EmptyState } from '../components/layout/EmptyState.js';
import { datasetsSelectors, useDatasetsStore } from '../stores/datasetsStore.js';

/** What to do next depends on whether there is any data yet. */
function NeedsData({ title, then }: { title: string; then: string }) {
  const empty = useDatasetsStore(datasetsSelectors.isEmpty);
  return (
    <EmptyState title={title} action={empty ? <a href="#/datasets">Go to Datasets</a> : undefined}>
      {empty ? <p>There is no data in this workspace yet. Import OHLCV CSV files on the Datasets page first.</p> : <p>{then}</p>}
    </EmptyState>
  );
}

export const BacktestsPage = () => (
  <div className="page">
    <h1>Backtests</h1>
    <NeedsData title="No backtests yet" then="Backtests of a finished run's signals, per symbol and after costs, appear here." />
  </div>
);
