import type { DomainHandlers } from './handlerTypes.js';

export function evaluationHandlers(): DomainHandlers<'evaluation'> {
  return {
    'evaluation.run': ({ runId }, { services }) => services.db.evaluateRun(runId, Date.now()),
    'evaluation.latest': ({ runId }, { services }) => services.db.latestEvaluation(runId),
    'evaluation.analytics': ({ runId, hmmStates }, { services }) => services.db.runAnalytics(runId, hmmStates),
    'evaluation.report': ({ runId, backtestId }, { services }) => services.db.runReport(runId, backtestId, Date.now()),
  };
}
