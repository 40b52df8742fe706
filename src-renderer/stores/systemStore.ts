import { create } from 'zustand';
import type { ComputeBackend, ResourceSample, SystemInfo } from '../../src-shared/contract/system.js';
import type { ConnectionState } from '../api/websocketBridge.js';
import { getClient } from '../api/client.js';

/** About two minutes of one-per-second samples for the System page's sparklines. */
const HISTORY = 120;

interface SystemState {
  info: SystemInfo | null;
  backend: ComputeBackend | null;
  resources: ResourceSample[];
  connection: ConnectionState;
  error: string | null;
}

interface SystemActions {
  loadInfo(): Promise<void>;
  /** Subscribes to resource samples and connection changes; returns the unsubscribe. */
  connect(): () => void;
}

export const initialSystemState: SystemState = { info: null, backend: null, resources: [], connection: 'connecting', error: null };

export const useSystemStore = create<SystemState & SystemActions>()((set, get) => ({
  ...initialSystemState,
  async loadInfo() {
    const r = await getClient().invoke('system.info', {});
    if (r.ok) set({ info: r.value, backend: r.value.backend ?? get().backend, error: null });
    else set({ error: r.error.message });
  },
  connect() {
    const client = getClient();
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

export const systemSelectors = {
  latestSample: (s: SystemState) => s.resources[s.resources.length - 1] ?? null,
  backendLabel: (s: SystemState) => s.backend?.label ?? 'probing compute backend…',
  workspacePath: (s: SystemState) => s.info?.workspace.path ?? '…',
};
