import { join } from 'node:path';
import { ContractFailure } from '../../src-shared/contract/result.js';
import type { DomainHandlers } from './handlerTypes.js';

export function runsHandlers(): DomainHandlers<'runs'> {
  return {
    'runs.list': ({ filter, sort }, { services }) => services.db.runRows(filter, sort),
    'runs.tag': async ({ runId, tags }, { services }) => {
      const unique = [...new Set(tags)];
      if (!(await services.db.setRunTags(runId, unique))) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
      return { runId, tags: unique.sort() };
    },
    'runs.seeds': ({ runId, seeds, parallel }, { services }) => services.seedGroups.create(runId, seeds, parallel),
    'runs.seedGroup': ({ groupId }, { services }) => services.db.seedGroupSummary(groupId, Date.now()),
    'runs.seedGroups': async (_req, { services }) => ({ groups: await services.db.seedGroupSummaries(Date.now()) }),
    'runs.compare': ({ runIds }, { services }) => services.db.compareRuns(runIds, Date.now()),
    'runs.hparams': ({ runIds, metric }, { services }) => services.db.hparams(runIds, metric),
    // Ensembles live in the same runs folder as trained runs (the training service's checkpoint root).
    'runs.ensemble': ({ runIds, weights, name }, { services }) => services.db.createEnsemble({ runIds, weights, ...(name === undefined ? {} : { name }) }, join(services.options.workspaceDir, 'runs'), Date.now()),
  };
}
