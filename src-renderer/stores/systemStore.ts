import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ComputeBackend, ResourceSample, SystemInfo } from '../../src-shared/contract/system.js';
import type { CandelaClient } from '../api/client.js';
import type { ConnectionState } from '../api/websocketBridge.js';
import { latestOnly } from './latestOnly.js';

/** About two minutes of one-per-second samples for the System page's sparklines. */
const HISTORY = 120;

export interface SystemState {
  /** Which shell the renderer runs in: the desktop app or a browser tab of `candela serve`. */
  shell: 'electron' | 'headless';
  info: SystemInfo | null;
  backend: ComputeBackend | null;
  resources: ResourceSample[];
  connection: ConnectionState;
  error: string | null;
}

export interface SystemActions {
  loadInfo(): Promise<void>;
  /** Subscribes to resource samples and connection changes; returns the unsubscribe. */
  connect(): () => void;
}

export type SystemStoreState = SystemState & SystemActions;
export type SystemStore = StoreApi<SystemStoreState>;

export const initialSystemState: Omit<SystemState, 'shell'> = { info: null, backend: null, resources: [], connection: 'connecting', error: null };

export function createSystemStore(client: CandelaClient): SystemStore {
  const infoRequest = latestOnly();
  return createStore<SystemStoreState>()((set, get) => ({
    shell: client.shell,
    ...initialSystemState,
    async loadInfo() {
      const current = infoRequest.begin();
      const r = await client.invoke('system.info', {});
      if (!current()) return;
      if (r.ok) set({ info: r.value, backend: r.value.backend ?? get().backend, error: null });
      else set({ error: r.error.message });
    },
    connect() {
      set({ connection: client.connectionState() });
      const offs = [
        client.on('system.resourceSample', (s) => set({ resources: [...get().resources.slice(-(HISTORY - 1)), s] })),
        client.on('system.backendChanged', (b) => set({ backend: b })),
        client.onConnectionChange((c) => {
          set({ connection: c });
          if (c === 'connected') void get().loadInfo();
        }),
      ];
      if (client.connectionState() === 'connected') void get().loadInfo();
      return () => offs.forEach((off) => off());
    },
  }));
}

export const systemSelectors = {
  latestSample: (s: SystemState) => s.resources[s.resources.length - 1] ?? null,
  backendLabel: (s: SystemState) => s.backend?.label ?? 'probing compute backend…',
  workspacePath: (s: SystemState) => s.info?.workspace.path ?? '…',
};
