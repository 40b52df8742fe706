import type { DomainHandlers } from './handlerTypes.js';

export function sweepsHandlers(): DomainHandlers<'sweeps'> {
  return {
    'sweeps.start': async ({ spec }, { services }) => ({ sweepId: await services.sweeps.start(spec) }),
    'sweeps.pause': async ({ sweepId }, { services }) => {
      await services.sweeps.pause(sweepId);
      return { sweepId };
    },
    'sweeps.resume': async ({ sweepId }, { services }) => {
      await services.sweeps.resume(sweepId);
      return { sweepId };
    },
    'sweeps.stop': async ({ sweepId }, { services }) => {
      await services.sweeps.stop(sweepId);
      return { sweepId };
    },
    'sweeps.list': async (_req, { services }) => ({ sweeps: await services.sweeps.list() }),
    'sweeps.get': ({ sweepId }, { services }) => services.sweeps.get(sweepId),
  };
}
