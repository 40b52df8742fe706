import { ContractFailure } from '../../src-shared/contract/result.js';
import type { DomainHandlers } from './handlerTypes.js';

export function datasetsHandlers(): DomainHandlers<'datasets'> {
  return {
    'datasets.list': async (_req, { services }) => ({ datasets: await services.db.listDatasets() }),
    'datasets.delete': async ({ id }, { services }) => {
      if (!(await services.db.deleteDataset(id))) throw new ContractFailure('NOT_FOUND', `Dataset ${id} does not exist.`);
      return { deleted: true, id };
    },
  };
}
