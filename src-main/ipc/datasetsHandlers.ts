import { healthSummarySchema } from '../../src-shared/contract/datasets.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import { msToTimeframe, timeframeToMs } from '../../src-shared/domain/timeframe.js';
import { expandPaths } from '../datasets/expandPaths.js';
import { previewFile } from '../datasets/previewFile.js';
import type { DomainHandlers } from './handlerTypes.js';

export function datasetsHandlers(): DomainHandlers<'datasets'> {
  return {
    'datasets.list': async (_req, { services }) => ({ datasets: await services.db.listDatasets() }),
    'datasets.delete': async ({ id }, { services }) => {
      if (!(await services.db.deleteDataset(id))) throw new ContractFailure('NOT_FOUND', `Dataset ${id} does not exist.`);
      services.events.emit('datasets.changed', { reason: 'delete' });
      return { deleted: true, id };
    },
    'datasets.rename': async ({ id, ...change }, { services }) => {
      const dataset = await services.db.renameDataset(id, change, Date.now());
      services.events.emit('datasets.changed', { reason: 'rename' });
      return { dataset };
    },
    'datasets.scan': ({ paths }) => expandPaths(paths),
    'datasets.preview': ({ path, overrides }) => previewFile(path, overrides),
    'datasets.import': ({ paths, overrides }, { services }) => services.datasets.startImport(paths, overrides),
    'datasets.importCancel': ({ jobId }, { services }) => ({ cancelled: services.datasets.cancel(jobId) }),
    'datasets.candles': async ({ id, timeframe, from, to, limit, anchor }, { services }) => {
      const ds = await services.db.getDataset(id);
      if (!ds) throw new ContractFailure('NOT_FOUND', `Dataset ${id} does not exist.`);
      const rollups = await services.db.rollupTimeframes(id);
      let rollupMs: number | null = null;
      if (timeframe && timeframe !== ds.timeframe) {
        rollupMs = timeframeToMs(timeframe);
        if (rollupMs === null || !rollups.includes(rollupMs)) {
          throw new ContractFailure('BAD_REQUEST', `${ds.symbol} has no ${timeframe} bars; choose one of ${[ds.timeframe, ...rollups.map(msToTimeframe)].join(', ')}.`);
        }
      }
      const candles = await services.db.queryCandles({ datasetId: id, rollupMs, from, to, limit, anchor });
      return { id, timeframe: rollupMs === null ? ds.timeframe : msToTimeframe(rollupMs), candles, timeframes: [ds.timeframe, ...rollups.map(msToTimeframe)] };
    },
    'datasets.health': async ({ id }, { services }) => {
      const h = await services.db.datasetHealth(id);
      if (!h) throw new ContractFailure('NOT_FOUND', `Dataset ${id} has no health report.`);
      return { id, summary: healthSummarySchema.parse(JSON.parse(h.summaryJson)), flaggedTs: h.flaggedTs, flaggedLevel: h.flaggedLevel, computedAt: h.computedAt };
    },
    'datasets.generateDemo': (req, { services }) => {
      if (timeframeToMs(req.timeframe) === null) throw new ContractFailure('BAD_REQUEST', `"${req.timeframe}" is not a timeframe like 5m or 1h.`);
      return services.datasets.generateDemo(req);
    },
  };
}

export function uploadsHandlers(): DomainHandlers<'uploads'> {
  return {
    'uploads.begin': ({ name, bytes }, { services }) => ({ uploadId: services.uploads.begin(name, bytes) }),
    'uploads.chunk': async ({ uploadId, offset, base64 }, { services }) => ({ received: await services.uploads.chunk(uploadId, offset, base64) }),
    'uploads.finish': async ({ uploadId }, { services }) => ({ path: await services.uploads.finish(uploadId) }),
  };
}
