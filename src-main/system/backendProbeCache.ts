import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { computeBackendSchema, type BackendPreference, type ComputeBackend } from '../../src-shared/contract/system.js';

const require = createRequire(import.meta.url);

/** A day: long enough that consecutive CLI commands reuse the answer, short enough that a driver installed today is noticed tomorrow. */
export const PROBE_CACHE_MAX_AGE_MS = 24 * 3600 * 1000;
export const PROBE_CACHE_FILE = 'backend-probe.json';

const PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-wasm'];

function installedVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/**
 * What the probe's answer depends on: the runtime, the tfjs packages installed, the variables
 * CUDA reads, the training threads, and the preference. When any of these changes, the cached answer is not used.
 */
export function probeCacheKey(preference: BackendPreference): string {
  return JSON.stringify({
    preference,
    node: process.versions.node,
    modules: process.versions.modules,
    electron: process.versions.electron ?? null,
    platform: process.platform,
    arch: process.arch,
    packages: PACKAGES.map(installedVersion),
    env: ['CUDA_VISIBLE_DEVICES', 'LD_LIBRARY_PATH', 'PATH'].map((v) => process.env[v] ?? null),
    // The label names the training threads: every core unless CANDELA_TRAIN_THREADS says otherwise.
    threads: [availableParallelism(), process.env.CANDELA_TRAIN_THREADS ?? null],
  });
}

interface CacheFile {
  key: string;
  probedAt: number;
  backend: unknown;
}

/**
 * The backend probe loads tfjs and tries each backend (most of a second, more with native
 * TensorFlow); every CLI command is a new process, so the answer is kept in the workspace and
 * reused while its key matches and it is younger than a day. `fresh` probes again regardless.
 * The cache is a convenience: an unreadable or unwritable file means a probe, never a failure.
 */
export async function probeBackendCached(
  workspaceDir: string,
  preference: BackendPreference,
  probe: () => Promise<ComputeBackend>,
  opts: { fresh?: boolean; now?: number; maxAgeMs?: number } = {},
): Promise<ComputeBackend> {
  const file = join(workspaceDir, PROBE_CACHE_FILE);
  const now = opts.now ?? Date.now();
  const key = probeCacheKey(preference);
  if (!opts.fresh) {
    try {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      const backend = computeBackendSchema.safeParse(cached.backend);
      const age = now - cached.probedAt;
      if (cached.key === key && backend.success && age >= 0 && age < (opts.maxAgeMs ?? PROBE_CACHE_MAX_AGE_MS)) return backend.data;
    } catch {
      // No cache yet, or one from an older format: probe.
    }
  }
  const backend = await probe();
  try {
    mkdirSync(workspaceDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, probedAt: now, backend } satisfies CacheFile));
    renameSync(tmp, file);
  } catch {
    // A read-only workspace still gets its answer, just not a cached one.
  }
  return backend;
}
