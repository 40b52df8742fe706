import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';

/**
 * The exit status scripts rely on, read from the built `bin/candela.mjs` run as a process (the
 * in-process tests cannot see what the entry point does to `process.exitCode`): 0 only when
 * everything asked for succeeded, 1 when a file was refused or a run failed, 130 when interrupted.
 */
const bin = repoPath('bin/candela.mjs');
const installed = (pkg: string) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function candela(ws: string, args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--workspace', ws, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      onStderr?.(err, child);
    });
    child.on('exit', (code, signal) => resolve({ code, signal, out, err }));
  });
}

const bars = (n: number, stepMs: number) => {
  let price = 100;
  const rows = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < n; i++) {
    // A deterministic zig-zag with drift: enough movement for labels of both classes.
    const next = price * (1 + 0.004 * Math.sin(i * 1.7) + 0.002 * Math.cos(i * 0.31));
    rows.push(`${Date.UTC(2024, 0, 1) + i * stepMs},${price},${Math.max(price, next) * 1.001},${Math.min(price, next) * 0.999},${next},${100 + (i % 7)}`);
    price = next;
  }
  return rows.join('\n');
};

describe('candela exit status (built CLI as a process)', () => {
  if (!requirePrerequisite(builtFiles('dist/main/cli.mjs'))) return;
  let dir: string;
  let ws: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candela-exit-'));
    ws = join(dir, 'ws');
    writeFileSync(join(dir, 'AAA_USDT_1h.csv'), bars(1500, 3_600_000));
    writeFileSync(join(dir, 'BBB_USDT_1d.csv'), bars(40, 86_400_000));
    writeFileSync(join(dir, 'empty.csv'), '');
    const r = await candela(ws, ['import', join(dir, 'AAA_USDT_1h.csv'), join(dir, 'BBB_USDT_1d.csv')]);
    expect(r.code, r.err).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('import exits 1 when a file is refused, 0 when all went in', async () => {
    const bad = await candela(ws, ['import', join(dir, 'empty.csv')]);
    expect(bad.out + bad.err).toMatch(/empty/i);
    expect(bad.code).toBe(1);
    const again = await candela(ws, ['import', join(dir, 'AAA_USDT_1h.csv')]);
    expect(again.code).toBe(0);
  }, 60_000);

  it('a dry run exits 1 with the sentence when the run could not start, 0 when it could', async () => {
    const refused = await candela(ws, ['train', '--datasets', '1,2', '--timeframe', '1h', '--dry-run']);
    expect(refused.out).toMatch(/coarser than 1h/);
    expect(refused.code).toBe(1);
    const fine = await candela(ws, ['train', '--datasets', '1', '--window', '8', '--dry-run', '--json']);
    expect(fine.code).toBe(0);
    expect(JSON.parse(fine.out)).toMatchObject({ timeframe: '1h', problems: [] });
  }, 60_000);

  // Forcing native TensorFlow where it is not installed makes the run fail in its process.
  const noNativeTf = { what: 'a machine without @tensorflow/tfjs-node', met: !installed('@tensorflow/tfjs-node'), why: 'it is installed here, so forcing it cannot make a run fail', optional: true };
  if (requirePrerequisite(noNativeTf)) it('train exits 1 when its run fails', async () => {
    const r = await candela(ws, ['train', '--datasets', '1', '--window', '8', '--epochs', '1', '--backend', 'tensorflow']);
    expect(r.out + r.err).toMatch(/failed/);
    expect(r.code).toBe(1);
  }, 120_000);

  it('train exits 130 when interrupted (the run is paused, resumable)', async () => {
    let sent = false;
    const r = await candela(ws, ['train', '--datasets', '1', '--window', '8', '--epochs', '50', '--model', 'mlp'], (err, child) => {
      // Interrupt once the first epoch is printed: the CLI is following the run (its Ctrl+C handler is
      // in place) and the run is training; a fixed delay after "started" raced both under load.
      if (!sent && /^epoch 1:/m.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    const runs = await candela(ws, ['runs', '--json']);
    const run = (JSON.parse(runs.out) as { runs: { status: string; resumable: boolean }[] }).runs[0]!;
    expect(run.status).toBe('paused');
    expect(run.resumable).toBe(true);
  }, 120_000);
});

describe('opening a workspace written by an earlier version (built CLI as a process)', () => {
  if (!requirePrerequisite(builtFiles('dist/main/cli.mjs'))) return;

  it('says in one line on stderr that it upgrades the workspace, once, and then works as usual', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { migrate } = await import('../db/connection.js');
    const { migrations } = await import('../db/migrations/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'candela-upgrade-'));
    try {
      const old = new Database(join(dir, 'candela.db'));
      migrate(old, migrations.slice(0, 9));
      old.close();
      const first = await candela(dir, ['datasets', '--json']);
      expect(first.code, first.err).toBe(0);
      expect(first.err).toBe(`candela: upgrading the workspace from version 9 to ${migrations.length} (${migrations.slice(9).map((m) => m.name).join(', ')}); this runs once, and on a large workspace it can take a minute…\n`);
      expect(JSON.parse(first.out)).toEqual({ datasets: [] });
      const again = await candela(dir, ['datasets', '--json']);
      expect(again.code).toBe(0);
      expect(again.err).toBe('');
      // A new workspace is created without the notice.
      const fresh = await candela(join(dir, 'fresh'), ['datasets', '--json']);
      expect(fresh.err).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
