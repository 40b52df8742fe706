import type { z } from 'zod';
import type { ChannelDef, EventDef } from './define.js';
import { datasetsChannels, datasetsEvents } from './datasets.js';
import { systemChannels, systemEvents } from './system.js';
import { trainingChannels, trainingEvents } from './training.js';
import { evaluationChannels, evaluationEvents } from './evaluation.js';
import { backtestsChannels, backtestsEvents } from './backtests.js';
import { sweepsChannels, sweepsEvents } from './sweeps.js';
import { runsChannels, runsEvents } from './runs.js';

export * from './result.js';
export type { ChannelDef, EventDef } from './define.js';

/** Every request/response channel. Transports, preload, client and handler registry derive from this. */
export const channels = {
  ...systemChannels,
  ...datasetsChannels,
  ...trainingChannels,
  ...evaluationChannels,
  ...backtestsChannels,
  ...runsChannels,
  ...sweepsChannels,
} as const satisfies Record<string, ChannelDef>;

/** Every main → renderer event stream. */
export const events = {
  ...systemEvents,
  ...datasetsEvents,
  ...trainingEvents,
  ...evaluationEvents,
  ...backtestsEvents,
  ...runsEvents,
  ...sweepsEvents,
} as const satisfies Record<string, EventDef>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayloadOf<E extends EventName> = z.output<Events[E]['payload']>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export const isChannelName = (name: unknown): name is ChannelName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);

/** Largest request the transports accept, in bytes of JSON (uploads arrive in chunks below this). */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/** The WebSocket wire format. Requests carry an id so replies can arrive out of order. */
export type WireRequest = { id: number; channel: string; payload: unknown };
export type WireMessage =
  | { kind: 'reply'; id: number; result: import('./result.js').Result<unknown> }
  | { kind: 'event'; event: string; payload: unknown }
  | { kind: 'hello'; shell: 'headless' | 'electron' };
