import { execFile } from 'node:child_process';
import { computeBackendSchema, type BackendPreference, type ComputeBackend } from '../../src-shared/contract/system.js';
import { describeBackend, selectBackend } from '../training/backends/selectBackend.js';

/**
 * Loads the backends in order (tfjs-node-gpu → tfjs-node → wasm → cpu) in THIS process and reports
 * which one training would use and why. The CLI and training processes call this; the app and the
 * server call `probeBackendInChild` so native TensorFlow never loads into their main process.
 */
export async function probeBackendHere(preference: BackendPreference = 'auto'): Promise<ComputeBackend> {
  const chosen = await selectBackend(preference);
  return {
    name: chosen.name,
    gpuInUse: chosen.gpu.inUse,
    reason: chosen.gpu.inUse ? chosen.gpu.reason : (chosen.attempts.find((a) => !a.ok)?.error ?? chosen.gpu.reason),
    label: describeBackend(chosen),
    attempts: chosen.attempts.map((a) => ({ backend: a.backend, ok: a.ok, ...(a.error ? { error: a.error } : {}) })),
  };
}

/**
 * Runs `candela system --probe-backend` in a short-lived child process and parses its answer.
 * In Electron, execPath is the Electron binary, so ELECTRON_RUN_AS_NODE makes it a plain Node.
 */
export function probeBackendInChild(cliScript: string, preference: BackendPreference = 'auto', timeoutMs = 60_000): Promise<ComputeBackend> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cliScript, 'system', '--probe-backend', '--backend', preference],
      { timeout: timeoutMs, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 1 << 20 },
      (err, stdout) => {
        if (err) return reject(new Error(`The compute backend probe failed: ${err.message.split('\n')[0]}`));
        try {
          resolve(computeBackendSchema.parse(JSON.parse(stdout)));
        } catch (e) {
          reject(new Error(`The compute backend probe answered something unreadable: ${(e as Error).message}`));
        }
      },
    );
  });
}
