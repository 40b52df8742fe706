import type { CandelaBridge } from '../../src-shared/contract/bridge.js';
import type { ChannelName, EventName, EventPayloadOf, RequestOf, ResponseOf } from '../../src-shared/contract/index.js';
import type { Result } from '../../src-shared/contract/result.js';
import { createWebSocketBridge, type ConnectionState } from './websocketBridge.js';

/** The typed face of the contract for the renderer; stores call this, never the transport. */
export interface CandelaClient {
  readonly shell: 'electron' | 'headless';
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
  connectionState(): ConnectionState;
  onConnectionChange(listener: (s: ConnectionState) => void): () => void;
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    candela?: CandelaBridge;
  }
}

/** The token travels in the URL `candela serve` prints; keep it for reloads of the same tab. */
function serverToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('candela.token', fromUrl);
  return fromUrl ?? sessionStorage.getItem('candela.token') ?? '';
}

export function createClient(): CandelaClient {
  const electron = window.candela;
  if (electron) {
    return {
      shell: 'electron',
      invoke: (channel, request) => electron.invoke(channel, request) as never,
      on: (event, listener) => electron.on(event, listener as (p: unknown) => void),
      connectionState: () => 'connected',
      onConnectionChange: () => () => undefined,
      pathForFile: electron.pathForFile ? (file: File) => electron.pathForFile!(file) : undefined,
    };
  }
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const bridge = createWebSocketBridge(`${proto}//${location.host}/ws?token=${encodeURIComponent(serverToken())}`);
  return {
    shell: 'headless',
    invoke: (channel, request) => bridge.invoke(channel, request) as never,
    on: (event, listener) => bridge.on(event, listener as (p: unknown) => void),
    connectionState: bridge.connectionState,
    onConnectionChange: bridge.onConnectionChange,
  };
}
