import type { Result } from './result.js';

/**
 * What the Electron preload exposes as `window.candela`, and what the WebSocket client
 * implements in the browser: the only door from the renderer to main.
 */
export interface CandelaBridge {
  readonly shell: 'electron' | 'headless';
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>;
  /** Subscribes to one event stream; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Electron only: the real path of a dropped File (webUtils.getPathForFile). */
  pathForFile?(file: object): string;
}

export const IPC_INVOKE = 'candela:invoke';
export const IPC_EVENT = 'candela:event';
