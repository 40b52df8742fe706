import { utilityProcess } from 'electron';
import { SQLITE_BINDING_ENV, sqliteBindingEnv } from '../db/nativeBinding.js';
import type { SpawnTrainingProcess } from '../training/host/trainingProcess.js';

/**
 * Desktop app: training runs in an Electron utilityProcess (a Node process Chromium's process
 * model manages), so a crash in native TensorFlow cannot take the window down. It runs Electron's
 * ABI, so it opens the workspace with the Electron build of better-sqlite3, whose path the main
 * process resolved at start; it is named here rather than left to chance in the inherited env.
 */
export const utilityTrainingProcess: SpawnTrainingProcess = (script) => {
  const sqliteBinding = process.env[SQLITE_BINDING_ENV];
  if (!sqliteBinding) throw new Error(`${SQLITE_BINDING_ENV} is not set: the app's main process resolves it before any training starts.`);
  const child = utilityProcess.fork(script, [], {
    serviceName: 'Candela training',
    stdio: 'inherit',
    env: { ...process.env, TF_FORCE_GPU_ALLOW_GROWTH: 'true', ...sqliteBindingEnv(sqliteBinding) },
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (m) => child.postMessage(m),
    onMessage: (l) => void child.on('message', l),
    onExit: (l) => void child.on('exit', (code) => l(code, null)),
    kill: () => void child.kill(),
  };
};
