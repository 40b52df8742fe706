import type { Command } from 'commander';
import type { ChannelName, RequestOf, ResponseOf } from '../../src-shared/contract/index.js';
import type { BackendPreference } from '../../src-shared/contract/system.js';
import type { ServiceOptions, Services } from '../services/createServices.js';
import { CliError } from './output.js';
import { builtPaths } from './paths.js';
import { workspaceOption } from './workspaceOption.js';

// Everything heavy (SQLite, the services, the handlers, tfjs) is imported inside these functions,
// not at the top: `candela --help` and the commands that never open a workspace stay fast.

/** The compute backend of this machine, from the workspace's probe cache when it still applies. */
export async function cachedBackendProbe(workspaceDir: string, preference: BackendPreference, fresh = false) {
  const { probeBackendCached } = await import('../system/backendProbeCache.js');
  return probeBackendCached(workspaceDir, preference, async () => (await import('../system/backendProbe.js')).probeBackendHere(preference), { fresh });
}

/**
 * The services for one CLI command: inline database (the CLI has no UI loop to keep free), no
 * background sampling, and the backend probed only if a command asks for it.
 */
export async function withServices<T>(cmd: Command, fn: (s: Services) => Promise<T>, overrides: Partial<ServiceOptions> = {}): Promise<T> {
  const { createServices } = await import('../services/createServices.js');
  const workspaceDir = workspaceOption(cmd);
  await announceUpgrade(workspaceDir);
  const services = await createServices({
    workspaceDir,
    shell: 'headless',
    dbMode: 'inline',
    probeBackend: () => cachedBackendProbe(workspaceDir, 'auto'),
    resourceIntervalMs: 0,
    lazyBackendProbe: true,
    resumeSeedGroups: false,
    trainingWorkerScript: builtPaths().trainingWorker,
    ...overrides,
  });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

/**
 * One line on stderr before a workspace written by an earlier version is upgraded: moving a big
 * workspace's data to a new layout can take a minute, and a command that says nothing meanwhile
 * looks hung. Silent for new and current workspaces.
 */
export async function announceUpgrade(workspaceDir: string): Promise<void> {
  const [{ pendingMigrations }, { workspaceDbPath }] = await Promise.all([import('../db/connection.js'), import('../workspace/location.js')]);
  const pending = pendingMigrations(workspaceDbPath(workspaceDir));
  if (!pending) return;
  process.stderr.write(
    `candela: upgrading the workspace from version ${pending.from} to ${pending.to} (${pending.names.join(', ')}); this runs once, and on a large workspace it can take a minute…\n`,
  );
}

/** A contract request from the CLI: the value, or a CliError carrying the contract's sentence. */
export type ContractCall = <C extends ChannelName>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;

/**
 * Runs a command against the contract: each request goes through the same dispatcher the
 * WebSocket and Electron IPC use (validation, handler, typed errors), in-process, with transport
 * 'cli', so the CLI and the app cannot disagree about what a channel answers.
 */
export async function withContract<T>(cmd: Command, fn: (call: ContractCall, services: Services) => Promise<T>, overrides: Partial<ServiceOptions> = {}): Promise<T> {
  return withServices(
    cmd,
    async (services) => {
      const { buildHandlers, createDispatcher } = await import('../ipc/dispatch.js');
      const dispatch = createDispatcher(buildHandlers(), { services, transport: 'cli' });
      const call: ContractCall = async (channel, request) => {
        const result = await dispatch(channel, request);
        if (!result.ok) throw new CliError(result.error.message);
        // The dispatcher ran the channel's handler, whose type is the channel's response.
        return result.value as ResponseOf<typeof channel>;
      };
      return fn(call, services);
    },
    overrides,
  );
}

export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
