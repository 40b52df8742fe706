import { z } from 'zod';
import { channel } from './define.js';

export const datasetIdSchema = z.number().int().positive();

export const healthVerdictSchema = z.enum(['clean', 'suspect', 'bad']);

export const datasetSummarySchema = z.object({
  id: datasetIdSchema,
  symbol: z.string(),
  timeframe: z.string(),
  timeframeMs: z.number(),
  rows: z.number().int(),
  /** Integer UTC milliseconds; null for a dataset with no rows. */
  firstTs: z.number().nullable(),
  lastTs: z.number().nullable(),
  healthScore: z.number().nullable(),
  healthVerdict: healthVerdictSchema.nullable(),
  /** Approximate bytes the dataset's candles take in the workspace. */
  bytes: z.number(),
  extraColumns: z.array(z.string()),
  createdAt: z.number(),
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const datasetsChannels = {
  'datasets.list': channel({
    request: z.object({}).strict(),
    response: z.object({ datasets: z.array(datasetSummarySchema) }),
    summary: 'All datasets in the workspace.',
  }),
  'datasets.delete': channel({
    request: z.object({ id: datasetIdSchema }).strict(),
    response: z.object({ deleted: z.literal(true), id: datasetIdSchema }),
    summary: 'Deletes a dataset, its candles, rollups and health report.',
  }),
} as const;

export const datasetsEvents = {} as const;
