import { afterEach, describe, expect, it, vi } from 'vitest';
import { SQLITE_BINDING_ABI_ENV, SQLITE_BINDING_ENV } from '../db/nativeBinding.js';

// Electron's binary is absent here; what is under test is what the child is handed, not the fork.
const fork = vi.fn((_script: string, _args: string[], _options: { env: Record<string, string | undefined> }) => ({ pid: 42, postMessage: vi.fn(), on: vi.fn(), kill: vi.fn() }));
vi.mock('electron', () => ({ utilityProcess: { fork } }));
const { utilityTrainingProcess } = await import('./utilityTrainingProcess.js');

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  fork.mockClear();
});

describe('the training utilityProcess', () => {
  it("is handed the Electron build of better-sqlite3 and the ABI it is for, so it opens the workspace with Electron's binding", () => {
    process.env[SQLITE_BINDING_ENV] = '/app/build-electron/electron-v38.8.6-better-sqlite3-v12.11.1/better_sqlite3.node';
    utilityTrainingProcess('/app/dist/main/training-worker.mjs');
    const env = fork.mock.calls[0]![2].env;
    expect(env[SQLITE_BINDING_ENV]).toBe('/app/build-electron/electron-v38.8.6-better-sqlite3-v12.11.1/better_sqlite3.node');
    // The main process's ABI: the utilityProcess runs the same Electron binary.
    expect(env[SQLITE_BINDING_ABI_ENV]).toBe(process.versions.modules);
    expect(env.TF_FORCE_GPU_ALLOW_GROWTH).toBe('true');
  });

  it('does not start without it', () => {
    delete process.env[SQLITE_BINDING_ENV];
    expect(() => utilityTrainingProcess('/app/dist/main/training-worker.mjs')).toThrow(/CANDELA_SQLITE_BINDING is not set/);
    expect(fork).not.toHaveBeenCalled();
  });
});
