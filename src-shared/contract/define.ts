import type { z } from 'zod';

/** A request/response channel: the renderer invokes it, main validates `request` and answers `response`. */
export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  /** One line for people reading the API (shown by `candela --help` style listings and docs). */
  readonly summary: string;
}

/** A main → renderer stream. High-rate streams are batched by the emitter (≤ ~10 messages/s). */
export interface EventDef<Payload extends z.ZodType = z.ZodType> {
  readonly payload: Payload;
  readonly summary: string;
}

export const channel = <Req extends z.ZodType, Res extends z.ZodType>(def: ChannelDef<Req, Res>) => def;
export const event = <P extends z.ZodType>(def: EventDef<P>) => def;
