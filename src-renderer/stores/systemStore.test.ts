import { describe, expect, it } from 'vitest';
import { createSystemStore, systemSelectors } from './systemStore.js';
import { createFakeClient } from './testing/fakeClient.js';
import { backend, systemInfo } from './testing/fixtures.js';

function setup() {
  const fake = createFakeClient();
  return { fake, store: createSystemStore(fake.client) };
}

describe('system store', () => {
  it('loads the workspace and backend on connecting, and follows samples', async () => {
    const { fake, store } = setup();
    const off = store.getState().connect();
    await fake.next('system.info').ok(systemInfo(1000));
    expect(systemSelectors.workspacePath(store.getState())).toBe('/tmp/workspace');
    expect(systemSelectors.backendLabel(store.getState())).toBe('cpu');
    fake.emit('system.resourceSample', { ts: 1, cpuPct: 12, cpuCount: 2, memUsedBytes: 1, memTotalBytes: 2, processRssBytes: 1, gpus: null, gpuNote: 'no GPU', training: [] });
    expect(systemSelectors.latestSample(store.getState())?.cpuPct).toBe(12);
    fake.emit('system.backendChanged', { ...backend, label: 'wasm' });
    expect(systemSelectors.backendLabel(store.getState())).toBe('wasm');
    off();
  });

  it('reloads after a reconnection and shows the connection state', async () => {
    const { fake, store } = setup();
    store.getState().connect();
    await fake.next('system.info').ok(systemInfo(1000));
    fake.setConnection('disconnected');
    expect(store.getState().connection).toBe('disconnected');
    fake.setConnection('connected');
    await fake.next('system.info').ok(systemInfo(2000));
    expect(store.getState().info?.workspace.dbBytes).toBe(2000);
  });

  it('shows why the info could not be read', async () => {
    const { fake, store } = setup();
    void store.getState().loadInfo();
    await fake.next('system.info').fail('DISCONNECTED', 'Not connected to Candela; retrying.');
    expect(store.getState()).toMatchObject({ info: null, error: 'Not connected to Candela; retrying.' });
  });

  it('keeps the newest info when an older request answers last', async () => {
    const { fake, store } = setup();
    void store.getState().loadInfo();
    void store.getState().loadInfo();
    const [older, newer] = fake.pending('system.info');
    await newer!.ok(systemInfo(2000));
    await older!.ok(systemInfo(1000));
    expect(store.getState().info?.workspace.dbBytes).toBe(2000);
  });

  it('knows its shell from the client', () => {
    expect(createSystemStore(createFakeClient('electron').client).getState().shell).toBe('electron');
  });
});
