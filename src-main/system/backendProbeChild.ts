import { execFile } from 'node:child_process';
import { computeBackendSchema, type BackendPreference, type ComputeBackend } from '../../src-shared/contract/system.js';

/**
 * Runs `candela system --probe-backend` in a short-lived child process and parses its answer.
 * In Electron, execPath is the Electron binary, so ELECTRON_RUN_AS_NODE makes it a plain Node.
 * Kept apart from backendProbe.ts, which loads tfjs: the app's and the server's main processes
 * import only this file, so tfjs is neither bundled into nor loaded by them.
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
