import { useStores } from '../stores/stores.js';

/**
 * Opens a finished run on the Evaluation or Backtests page, chosen there as if picked from the
 * page's own run list. Sweep winners, ensembles (stored as runs) and any run picked on the Runs
 * page use it, so each page opens a run the same way.
 */
export function OpenRunButtons({ runId, what }: { runId: number; what?: string }) {
  const { evaluation, backtests } = useStores();
  const open = (page: 'evaluation' | 'backtests') => {
    if (page === 'evaluation') void evaluation.getState().select(runId);
    else void backtests.getState().selectRun(runId);
    window.location.hash = `#/${page}`;
  };
  const name = what ? ` ${what} #${runId}` : '';
  return (
    <span className="toolbar open-run">
      <button type="button" onClick={() => open('evaluation')}>
        Open{name} in Evaluation
      </button>
      <button type="button" onClick={() => open('backtests')}>
        Open{name} in Backtests
      </button>
    </span>
  );
}
