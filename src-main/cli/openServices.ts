import type { Command } from 'commander';
import { createServices, type Services } from '../services/createServices.js';
import { probeBackendHere } from '../system/backendProbe.js';
import { workspaceOption } from './workspaceOption.js';
import { builtPaths } from './paths.js';

/**
 * The services for one CLI command: inline database (the CLI has no UI loop to keep free), no
 * background sampling, and the backend probed only if a command asks for it.
 */
export async function withServices<T>(cmd: Command, fn: (s: Services) => Promise<T>): Promise<T> {
  const services = await createServices({
    workspaceDir: workspaceOption(cmd),
    shell: 'headless',
    dbMode: 'inline',
    probeBackend: () => probeBackendHere('auto'),
    resourceIntervalMs: 0,
    lazyBackendProbe: true,
    trainingWorkerScript: builtPaths().trainingWorker,
  });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
