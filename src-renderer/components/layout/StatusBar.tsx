import { useSystemStore } from '../../stores/stores.js';
import { systemSelectors } from '../../stores/systemStore.js';

const CONNECTION_TEXT = { connected: 'connected', connecting: 'connecting…', disconnected: 'disconnected — retrying' } as const;

export function StatusBar({ shell }: { shell: 'electron' | 'headless' }) {
  const workspace = useSystemStore(systemSelectors.workspacePath);
  const backend = useSystemStore(systemSelectors.backendLabel);
  const gpu = useSystemStore((s) => s.backend?.gpuInUse ?? false);
  // The full reason (why no GPU path was used, the WebGPU adapter) where the bar has no room for it.
  const reason = useSystemStore((s) => s.backend?.reason ?? null);
  const connection = useSystemStore((s) => s.connection);
  return (
    <footer className="status-bar" role="status" aria-label="Status">
      <span title="Workspace folder" data-testid="status-workspace">
        Workspace: {workspace}
      </span>
      <span title={`Compute backend used for training${reason ? `: ${reason}` : ''}`} data-testid="status-backend" className={gpu ? 'ok' : undefined}>
        Compute: {backend}
      </span>
      <span data-testid="status-connection" className={`conn conn-${connection}`}>
        {shell === 'electron' ? 'desktop' : `server ${CONNECTION_TEXT[connection]}`}
      </span>
    </footer>
  );
}
