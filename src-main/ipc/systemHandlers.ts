import { ContractFailure } from '../../src-shared/contract/result.js';
import type { DomainHandlers } from './handlerTypes.js';

export interface SystemHandlerDeps {
  /** The desktop app opens links with shell.openExternal; elsewhere this is absent. */
  openExternal?: (url: string) => Promise<void>;
}

export function systemHandlers(deps: SystemHandlerDeps = {}): DomainHandlers<'system'> {
  return {
    'system.info': (_req, { services }) => services.systemInfo(),
    'system.resources': (_req, { services }) => services.resources.sample(),
    'system.openExternal': async ({ url }) => {
      if (!deps.openExternal) throw new ContractFailure('UNSUPPORTED', 'Opening links outside is only available in the desktop app; open it from your browser instead.');
      await deps.openExternal(url);
      return { opened: true };
    },
  };
}
