import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../../test-support/fixtures.js';

export interface ServerHandle {
  url: string;
  origin: string;
  token: string;
  workspace: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the real built `candela serve` on a free port and a fresh workspace, as a user would. */
export async function startCandelaServe(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, preparedWorkspace?: string): Promise<ServerHandle> {
  // A spec may fill a workspace through the CLI first (real files, a run, a backtest), then serve it.
  const workspace = preparedWorkspace ?? mkdtempSync(join(tmpdir(), 'candela-e2e-'));
  const child = spawn(process.execPath, [repoPath('bin/candela.mjs'), 'serve', '--port', '0', '--workspace', workspace, ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`candela serve printed no URL within 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /Open: (http\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`candela serve exited with ${code}:\n${out}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    workspace,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}
