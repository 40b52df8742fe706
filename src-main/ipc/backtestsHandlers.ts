import type { DomainHandlers } from './handlerTypes.js';

export function backtestsHandlers(): DomainHandlers<'backtests'> {
  return {
    'backtests.run': ({ runId, settings }, { services }) => services.db.backtestRun(runId, settings, Date.now()),
    'backtests.list': async ({ runId }, { services }) => ({ backtests: await services.db.listBacktests(runId ?? null) }),
    'backtests.symbol': ({ backtestId, symbol, maxPoints }, { services }) => services.db.backtestSymbolView(backtestId, symbol, maxPoints),
    'backtests.preview': ({ runId, settings }, { services }) => services.db.backtestPreview(runId, settings),
    'backtests.analytics': ({ runId, settings, options }, { services }) => services.db.backtestAnalytics(runId, settings, options),
    'backtests.marketMonteCarlo': (request, { services }) => services.marketMonteCarlo.run(request),
    'backtests.cancelMarketMonteCarlo': ({ backtestId }, { services }) => ({ cancelled: services.marketMonteCarlo.cancel(backtestId) }),
    'backtests.sweep': ({ runId, settings, thresholds }, { services }) => services.db.backtestSweep(runId, settings, thresholds),
  };
}
