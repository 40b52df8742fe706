import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComputeBackend } from '../../src-shared/contract/system.js';
import { PROBE_CACHE_FILE, PROBE_CACHE_MAX_AGE_MS, probeBackendCached } from './backendProbeCache.js';

const answer = (label: string): ComputeBackend => ({ name: 'wasm', gpuInUse: false, reason: 'test', label, attempts: [{ backend: 'wasm', ok: true }], adapter: null });

describe('probeBackendCached', () => {
  let dir: string;
  let probes: number;
  const probe = async () => answer(`probe ${++probes}`);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candela-probe-cache-'));
    probes = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('probes once and answers the next command from the workspace while the answer is younger than a day', async () => {
    const t0 = 1_700_000_000_000;
    expect((await probeBackendCached(dir, 'auto', probe, { now: t0 })).label).toBe('probe 1');
    expect((await probeBackendCached(dir, 'auto', probe, { now: t0 + PROBE_CACHE_MAX_AGE_MS - 1 })).label).toBe('probe 1');
    expect(probes).toBe(1);
    expect((await probeBackendCached(dir, 'auto', probe, { now: t0 + PROBE_CACHE_MAX_AGE_MS })).label).toBe('probe 2');
  });

  it('probes again when asked to, for another preference, and when the file is unreadable or tampered with', async () => {
    await probeBackendCached(dir, 'auto', probe);
    expect((await probeBackendCached(dir, 'auto', probe, { fresh: true })).label).toBe('probe 2');
    expect((await probeBackendCached(dir, 'cpu', probe)).label).toBe('probe 3');
    writeFileSync(join(dir, PROBE_CACHE_FILE), '{ not json');
    expect((await probeBackendCached(dir, 'cpu', probe)).label).toBe('probe 4');
    const stored = JSON.parse(readFileSync(join(dir, PROBE_CACHE_FILE), 'utf8')) as { backend: Record<string, unknown> };
    writeFileSync(join(dir, PROBE_CACHE_FILE), JSON.stringify({ ...stored, backend: { ...stored.backend, name: 'quantum' } }));
    expect((await probeBackendCached(dir, 'cpu', probe)).label).toBe('probe 5');
  });

  it('answers without caching where the workspace cannot be written, and never caches a failed probe', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect((await probeBackendCached(join(file, 'ws'), 'auto', probe)).label).toBe('probe 1');
    await expect(probeBackendCached(dir, 'auto', () => Promise.reject(new Error('no backend')))).rejects.toThrow('no backend');
    expect((await probeBackendCached(dir, 'auto', probe)).label).toBe('probe 2');
  });
});
