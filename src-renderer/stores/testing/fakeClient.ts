import { channels, events, type ChannelName, type EventName, type EventPayloadOf, type RequestOf, type ResponseOf } from '../../../src-shared/contract/index.js';
import { fail, ok, type ErrorCode, type Result } from '../../../src-shared/contract/result.js';
import type { CandelaClient } from '../../api/client.js';
import type { ConnectionState } from '../../api/websocketBridge.js';

/** One request the store made, waiting for the test to answer it. */
export interface PendingCall<C extends ChannelName> {
  channel: C;
  request: RequestOf<C>;
  /** Answers with a value the contract's response schema accepts (checked, so canned data cannot drift from the contract). */
  ok(value: ResponseOf<C>): Promise<void>;
  fail(code: ErrorCode, message: string): Promise<void>;
}

type Answer<C extends ChannelName> = (request: RequestOf<C>) => Result<ResponseOf<C>>;

/** Lets the store's `await` and whatever it chains after it run before the test looks. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A test double of the transport, typed from the contract's channel map: requests are checked
 * against the channel's request schema, replies against its response schema and events against
 * theirs. A channel given
 * an `answer` replies at once; any other request waits in `pending` until the test answers it,
 * so replies can be delivered in any order.
 */
export function createFakeClient(shell: 'electron' | 'headless' = 'headless') {
  // Stored untyped and read back per channel: the channel name says which PendingCall each one is.
  const pending: { channel: ChannelName; call: unknown }[] = [];
  const answers = new Map<ChannelName, unknown>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  let connection: ConnectionState = 'connected';
  const calls: { channel: ChannelName; request: unknown }[] = [];

  const checkedReply = <C extends ChannelName>(channel: C, r: Result<ResponseOf<C>>): Result<ResponseOf<C>> =>
    r.ok ? ok(channels[channel].response.parse(r.value) as ResponseOf<C>) : r;

  const client: CandelaClient = {
    shell,
    invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      channels[channel].request.parse(request);
      calls.push({ channel, request });
      const answer = answers.get(channel) as Answer<C> | undefined;
      if (answer) return Promise.resolve(checkedReply(channel, answer(request)));
      return new Promise((resolve) => {
        const entry = { channel: channel as ChannelName, call: null as unknown };
        const done = () => void pending.splice(pending.indexOf(entry), 1);
        const call: PendingCall<C> = {
          channel,
          request,
          async ok(value) {
            done();
            resolve(checkedReply(channel, { ok: true, value }));
            await settle();
          },
          async fail(code, message) {
            done();
            resolve(fail(code, message));
            await settle();
          },
        };
        entry.call = call;
        pending.push(entry);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => void set.delete(listener as (p: unknown) => void);
    },
    connectionState: () => connection,
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
  };

  return {
    client,
    /** Every request made, in order. */
    calls,
    /** The unanswered requests on a channel, oldest first. */
    pending<C extends ChannelName>(channel: C): PendingCall<C>[] {
      return pending.filter((p) => p.channel === channel).map((p) => p.call as PendingCall<C>);
    },
    /** The one unanswered request on a channel; throws when there is none or several. */
    next<C extends ChannelName>(channel: C): PendingCall<C> {
      const found = this.pending(channel);
      if (found.length !== 1) throw new Error(`expected one pending ${channel} request, found ${found.length}`);
      return found[0]!;
    },
    /** Replies to every later request on the channel at once. */
    answer<C extends ChannelName>(channel: C, fn: Answer<C>) {
      answers.set(channel, fn);
    },
    /** Delivers an event as main would, checked against the event's schema. */
    emit<E extends EventName>(event: E, payload: EventPayloadOf<E>) {
      events[event].payload.parse(payload);
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    setConnection(state: ConnectionState) {
      connection = state;
      for (const l of connectionListeners) l(state);
    },
    settle,
  };
}
export type FakeClient = ReturnType<typeof createFakeClient>;
