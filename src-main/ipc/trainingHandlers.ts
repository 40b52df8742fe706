import { ContractFailure } from '../../src-shared/contract/result.js';
import type { DomainHandlers } from './handlerTypes.js';
import { modelFiles } from '../training/host/exportModel.js';

export function trainingHandlers(): DomainHandlers<'training'> {
  return {
    'training.summary': ({ config }, { services }) => services.training.summary(config),
    'training.plan': ({ config }, { services }) => services.training.plan(config),
    'training.start': async ({ config, name }, { services }) => ({ runId: await services.training.start(config, name) }),
    'training.pause': ({ runId }, { services }) => {
      services.training.pause(runId);
      return { runId };
    },
    'training.resume': async ({ runId }, { services }) => {
      await services.training.resume(runId);
      return { runId };
    },
    'training.stop': async ({ runId }, { services }) => {
      await services.training.stop(runId);
      return { runId };
    },
    'training.runs': async (_req, { services }) => ({ runs: await services.db.listRuns() }),
    'training.run': async ({ runId }, { services }) => {
      const run = await services.db.getRun(runId);
      if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
      const { checkpointDir: _dir, ...detail } = run;
      return detail;
    },
    'training.exportModel': async ({ runId }, { services }) => {
      const run = await services.db.getRun(runId);
      if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
      return { files: await modelFiles(run.checkpointDir, runId) };
    },
    'training.delete': async ({ runId }, { services }) => {
      await services.training.remove(runId);
      return { deleted: true };
    },
  };
}
