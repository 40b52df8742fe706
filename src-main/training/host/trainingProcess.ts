import { fork } from 'node:child_process';
import type { HostToWorker } from '../protocol.js';
import { forwardStderr } from './childStderr.js';

/** A training process as the host sees it: a message channel and an exit, whatever started it. */
export interface TrainingProcess {
  readonly pid: number | undefined;
  send(message: HostToWorker): void;
  /** What the process sent, unchecked: the host passes it through the protocol's guard. */
  onMessage(listener: (message: unknown) => void): void;
  /** code null with a signal name when killed (e.g. SIGKILL from the OOM killer or kill -9). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type SpawnTrainingProcess = (script: string) => TrainingProcess;

/**
 * Headless and CLI: one Node child process per run. A crash, an out-of-memory kill or a native
 * TensorFlow abort ends only that process; the host marks the run failed and carries on.
 */
export const forkTrainingProcess: SpawnTrainingProcess = (script) => {
  const child = fork(script, [], {
    // TensorFlow must not grab the whole GPU at start; grow as needed.
    env: { ...process.env, TF_FORCE_GPU_ALLOW_GROWTH: 'true', ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  if (child.stderr) forwardStderr(child.stderr, process.stderr);
  return {
    pid: child.pid,
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.on('exit', (code, signal) => l(code, signal)),
    kill: () => void child.kill('SIGKILL'),
  };
};
