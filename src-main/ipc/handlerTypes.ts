import type { ChannelName, ParsedRequestOf, ResponseOf } from '../../src-shared/contract/index.js';
import type { Services } from '../services/createServices.js';

export interface RequestContext {
  readonly services: Services;
  /** Which transport delivered the request; some channels only make sense in the desktop app. */
  readonly transport: 'electron' | 'websocket' | 'cli';
}

export type Handler<C extends ChannelName> = (req: ParsedRequestOf<C>, ctx: RequestContext) => Promise<ResponseOf<C>> | ResponseOf<C>;

/** One handler for every channel: a channel without a handler does not compile. */
export type HandlerMap = { [C in ChannelName]: Handler<C> };
export type DomainHandlers<Prefix extends string> = { [C in ChannelName as C extends `${Prefix}.${string}` ? C : never]: Handler<C> };
