import { utilityProcess } from 'electron';
import type { SpawnTrainingProcess } from '../training/host/trainingProcess.js';

/**
 * Desktop app: training runs in an Electron utilityProcess (a Node process Chromium's process
 * model manages), so a crash in native TensorFlow cannot take the window down.
 */
export const utilityTrainingProcess: SpawnTrainingProcess = (script) => {
  const child = utilityProcess.fork(script, [], {
    serviceName: 'Candela training',
    stdio: 'inherit',
    env: { ...process.env, TF_FORCE_GPU_ALLOW_GROWTH: 'true' },
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
