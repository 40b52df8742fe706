import type { z } from 'zod';
import { channels, isChannelName, MAX_REQUEST_BYTES } from '../../src-shared/contract/index.js';
import { ContractFailure, fail, ok, type Result } from '../../src-shared/contract/result.js';
import type { Handler, HandlerMap, RequestContext } from './handlerTypes.js';
import { datasetsHandlers, uploadsHandlers } from './datasetsHandlers.js';
import { systemHandlers, type SystemHandlerDeps } from './systemHandlers.js';
import { trainingHandlers } from './trainingHandlers.js';
import { evaluationHandlers } from './evaluationHandlers.js';
import { backtestsHandlers } from './backtestsHandlers.js';
import { sweepsHandlers } from './sweepsHandlers.js';
import { runsHandlers } from './runsHandlers.js';

export function buildHandlers(deps: SystemHandlerDeps = {}): HandlerMap {
  return { ...systemHandlers(deps), ...datasetsHandlers(), ...uploadsHandlers(), ...trainingHandlers(), ...evaluationHandlers(), ...backtestsHandlers(), ...runsHandlers(), ...sweepsHandlers() };
}

const issuesOf = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.join('.') || '(request)', message: i.message }));

/**
 * The one entry point every transport calls: checks the channel, validates the payload with the
 * contract's schema before any service sees it, runs the handler, and turns every failure into a
 * typed error result. It never throws.
 */
export function createDispatcher(handlers: HandlerMap, ctx: RequestContext) {
  return async function dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    if (!isChannelName(channel)) return fail('UNKNOWN_CHANNEL', `There is no channel named ${JSON.stringify(String(channel)).slice(0, 80)}.`);
    const def = channels[channel];
    const parsed = def.request.safeParse(payload ?? {});
    if (!parsed.success) return fail('BAD_REQUEST', `The request to ${channel} is not valid: ${parsed.error.issues[0]?.message ?? 'wrong shape'}.`, issuesOf(parsed.error));
    try {
      const handler = handlers[channel] as Handler<typeof channel>;
      return ok(await handler(parsed.data as never, ctx));
    } catch (e) {
      if (e instanceof ContractFailure) return fail(e.code, e.message);
      console.error(`handler ${channel} failed:`, e);
      return fail('INTERNAL', `${channel} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** Size check for transports that receive raw text (the WebSocket). */
export const tooLarge = (bytes: number): Result<never> | null =>
  bytes > MAX_REQUEST_BYTES ? fail('PAYLOAD_TOO_LARGE', `The request is ${bytes} bytes; the limit is ${MAX_REQUEST_BYTES} bytes.`) : null;
