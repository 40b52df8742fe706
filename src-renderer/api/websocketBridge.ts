import type { CandelaBridge } from '../../src-shared/contract/bridge.js';
import type { WireMessage } from '../../src-shared/contract/index.js';
import { fail, type Result } from '../../src-shared/contract/result.js';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface WebSocketBridge extends CandelaBridge {
  connectionState(): ConnectionState;
  onConnectionChange(listener: (s: ConnectionState) => void): () => void;
}

/**
 * The browser-side transport of the contract: one WebSocket to `candela serve`, requests matched
 * to replies by id, events fanned out to subscribers, and reconnection with backoff. Requests made
 * while disconnected fail at once with DISCONNECTED rather than hang.
 */
export function createWebSocketBridge(url: string): WebSocketBridge {
  let ws: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let retryMs = 500;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const eventListeners = new Map<string, Set<(p: unknown) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of stateListeners) l(s);
  };

  function connect() {
    setState('connecting');
    ws = new WebSocket(url);
    ws.onopen = () => {
      retryMs = 500;
      setState('connected');
    };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as WireMessage;
      if (msg.kind === 'reply') {
        const resolve = pending.get(msg.id);
        pending.delete(msg.id);
        resolve?.(msg.result);
      } else if (msg.kind === 'event') {
        for (const l of eventListeners.get(msg.event) ?? []) l(msg.payload);
      }
    };
    ws.onclose = () => {
      for (const resolve of pending.values()) resolve(fail('DISCONNECTED', 'The connection to Candela was lost; the request may not have completed.'));
      pending.clear();
      setState('disconnected');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  }
  connect();

  return {
    shell: 'headless',
    invoke(channel, payload) {
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        return Promise.resolve(fail('DISCONNECTED', 'Not connected to Candela; retrying. Check that `candela serve` is still running.'));
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws!.send(JSON.stringify({ id, channel, payload }));
      });
    },
    on(event, listener) {
      const set = eventListeners.get(event) ?? new Set();
      set.add(listener);
      eventListeners.set(event, set);
      return () => void set.delete(listener);
    },
    connectionState: () => state,
    onConnectionChange(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
  };
}
