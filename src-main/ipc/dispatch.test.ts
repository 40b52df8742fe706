import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames } from '../../src-shared/contract/index.js';
import type { Services } from '../services/createServices.js';
import { createHeadlessServices } from '../../test-support/headlessServices.js';
import { buildHandlers, createDispatcher } from './dispatch.js';

const fakeBackend = { name: 'cpu', gpuInUse: false, reason: 'test', label: 'cpu · CPU — test', attempts: [] } as const;

let services: Services;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'candela-dispatch-'));
  services = await createHeadlessServices(dir, { probeBackend: async () => ({ ...fakeBackend, attempts: [], adapter: null }) });
});
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('handler registry', () => {
  it('has a handler for every channel of the contract and nothing else', () => {
    expect(Object.keys(buildHandlers()).sort()).toEqual([...channelNames].sort());
  });
});

describe('dispatch', () => {
  const dispatch = () => createDispatcher(buildHandlers(), { services, transport: 'websocket' });

  it('answers a valid request with the service result', async () => {
    const r = await dispatch()('datasets.list', {});
    expect(r).toEqual({ ok: true, value: { datasets: [] } });
  });

  it('refuses an unknown channel with a typed error', async () => {
    const r = await dispatch()('datasets.drop', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNKNOWN_CHANNEL');
  });

  it('refuses a payload of the wrong type before the service sees it, naming the field', async () => {
    const r = await dispatch()('datasets.delete', { id: 'seven' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_REQUEST');
      expect(r.error.issues?.[0]?.path).toBe('id');
    }
  });

  it('refuses unexpected extra fields', async () => {
    const r = await dispatch()('datasets.list', { sql: 'DROP TABLE datasets' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
  });

  it('turns a service refusal into its code', async () => {
    const r = await dispatch()('datasets.delete', { id: 999 });
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Dataset 999 does not exist.' } });
  });

  it('says openExternal is desktop-only outside Electron', async () => {
    const r = await dispatch()('system.openExternal', { url: 'https://example.com' });
    expect(!r.ok && r.error.code).toBe('UNSUPPORTED');
    const bad = await dispatch()('system.openExternal', { url: 'file:///etc/passwd' });
    expect(!bad.ok && bad.error.code).toBe('BAD_REQUEST');
  });

  it('reports versions, workspace and the probed backend', async () => {
    await services.whenBackendReady();
    const r = await dispatch()('system.info', {});
    expect(r.ok).toBe(true);
    if (r.ok) {
      const info = r.value as Awaited<ReturnType<Services['systemInfo']>>;
      expect(info.workspace.path).toBe(dir);
      expect(info.workspace.schemaVersion).toBeGreaterThanOrEqual(1);
      expect(info.versions.sqlite).toMatch(/^3\./);
      expect(info.backend?.label).toBe('cpu · CPU — test');
    }
  });
});
