import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';

const run = promisify(execFile);

/** `candela sweep` as a user runs it: the built binary, a generated market, space.json. */
describe('candela sweep (built CLI)', () => {
  if (!requirePrerequisite(builtFiles('dist/main/cli.mjs', 'dist/main/training-worker.mjs'))) return;
  const dir = mkdtempSync(join(tmpdir(), 'candela-sweep-cli-'));
  const ws = join(dir, 'ws');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const candela = (...args: string[]) => run(process.execPath, [repoPath('dist/main/cli.mjs'), '--workspace', ws, ...args], { maxBuffer: 16 << 20 });

  it('prints the documented document: trials without test numbers, the winner with its test figures, the selection statistics', async () => {
    await candela('generate', '--out', join(dir, 'gen'), '--symbols', '1', '--bars', '3000', '--seed', '4', '--signal', '0.4');
    await candela('import', join(dir, 'gen'));
    const space = join(dir, 'space.json');
    writeFileSync(space, JSON.stringify({ base: { model: 'mlp', includeExtras: true, window: 8, epochs: 2, batchSize: 64 }, params: { lr: { float: [0.001, 0.01], log: true }, hidden: { choice: [8, 16] } } }));
    const { stdout } = await candela('sweep', '--space', space, '--datasets', '1', '--sampler', 'random', '--trials', '3', '--parallel', '2', '--prune', 'none', '--seed', '7', '--json');
    const doc = JSON.parse(stdout) as Record<string, unknown> & { trials: Record<string, unknown>[]; best: Record<string, unknown> & { test: Record<string, number> }; selection: Record<string, unknown> };
    expect(Object.keys(doc)).toEqual(['sweepId', 'status', 'trials', 'best', 'selection']);
    expect(doc.status).toBe('completed');
    expect(doc.trials).toHaveLength(3);
    for (const t of doc.trials) {
      expect(Object.keys(t)).toEqual(['trialId', 'runId', 'params', 'status', 'objective', 'epochs']);
      expect(Object.keys(t.params as object).sort()).toEqual(['hidden', 'lr']);
    }
    expect(Object.keys(doc.best)).toEqual(['trialId', 'runId', 'params', 'objective', 'test']);
    expect(doc.best.test.accuracy).toBeGreaterThan(0);
    expect(doc.best.test.baselineAccuracy).toBeGreaterThan(0);
    expect(doc.best.test.note).toMatch(/^Best of 3 trials/);
    expect(Object.keys(doc.selection)).toEqual(['trials', 'pbo', 'deflatedSharpe', 'sentence']);
    expect(doc.selection.trials).toBe(3);

    // The runs list tags the trials with their sweep; only the winner has test figures.
    const runs = JSON.parse((await candela('runs', '--json')).stdout) as { runs: { id: number; sweepId?: number; test: unknown }[] } | { id: number; sweepId?: number; test: unknown }[];
    const list = Array.isArray(runs) ? runs : runs.runs;
    const trials = list.filter((r) => r.sweepId === doc.sweepId);
    expect(trials.map((r) => r.id).sort()).toEqual(doc.trials.map((t) => t.runId).sort());
  }, 120_000);

  it('refuses a bad space file with a sentence naming the field', async () => {
    const space = join(dir, 'bad.json');
    writeFileSync(space, JSON.stringify({ base: {}, params: { lr: { float: [0.1, 0.01] } } }));
    const r = await candela('sweep', '--space', space, '--datasets', '1').then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(r?.code).toBe(1);
    expect(r?.stderr).toMatch(/lr\.float: low 0\.1 is above high 0\.01/);
  });
});
