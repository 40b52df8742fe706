import type { ComputeBackend } from '../src-shared/contract/system.js';
import { createServices, type ServiceOptions, type Services } from '../src-main/services/createServices.js';

/** A backend answer for callers that never train (tests of other services, benchmarks). */
export const fixedBackend = (name: ComputeBackend['name'] = 'cpu', label = name): ComputeBackend => ({ name, gpuInUse: false, reason: 'not probed', label, attempts: [], adapter: null });

/**
 * Services on a workspace folder with the inline database, no resource sampling and a fixed
 * backend answer: what tests and benchmarks of one service need, without a probe process.
 */
export function createHeadlessServices(workspaceDir: string, extra: Partial<ServiceOptions> = {}): Promise<Services> {
  return createServices({
    workspaceDir,
    shell: 'headless',
    dbMode: 'inline',
    probeBackend: async () => fixedBackend(),
    resourceIntervalMs: 0,
    ...extra,
  });
}
