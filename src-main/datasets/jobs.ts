import { join } from 'node:path';
import type { ImportSummary } from '../../src-shared/contract/datasets.js';
import type { Db } from '../db/connection.js';
import { expandPaths } from './expandPaths.js';
import { runImportJob, type ImportJobArgs, type JobContext } from './importJob.js';
import { writeGeneratedMarket, type GenerateOptions } from './writeGeneratedMarket.js';

export type { JobContext } from './importJob.js';

export interface GenerateDemoArgs {
  jobId: string;
  workspaceDir: string;
  generate: Omit<GenerateOptions, 'outDir'>;
}

/**
 * Long-running work that runs beside the database (in the DB worker for the app and server,
 * inline for the CLI), reporting progress through `ctx.emit` and stopping when cancelled.
 */
export const dbJobs = {
  importFiles: (db: Db, ctx: JobContext, args: ImportJobArgs): Promise<ImportSummary> => runImportJob(db, ctx, args),
  async generateDemo(db: Db, ctx: JobContext, args: GenerateDemoArgs): Promise<ImportSummary> {
    const outDir = join(args.workspaceDir, 'generated', `seed-${args.generate.seed}`);
    await writeGeneratedMarket({ ...args.generate, outDir });
    const { files } = await expandPaths([outDir]);
    return runImportJob(db, ctx, { jobId: args.jobId, files });
  },
} satisfies Record<string, (db: Db, ctx: JobContext, args: never) => Promise<unknown>>;

export type DbJobs = typeof dbJobs;
export type DbJobName = keyof DbJobs;
