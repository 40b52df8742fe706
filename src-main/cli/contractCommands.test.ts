import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { buildHandlers, createDispatcher } from '../ipc/dispatch.js';
import { createHeadlessServices } from '../../test-support/headlessServices.js';
import { evalJson } from './commands/evaluation.js';

const bin = repoPath('bin/candela.mjs');

// The CLI answers through the contract's dispatcher, so it reports what the app's pages read.
describe('eval and backtest on the command line and through the contract (built CLI)', () => {
  if (!requirePrerequisite(builtFiles('dist/main/cli.mjs', 'dist/main/training-worker.mjs'))) return;
  let dir: string;
  let ws: string;
  let runId = 0;
  const candela = async (...args: string[]) => (await promisify(execFile)(process.execPath, [bin, '--workspace', ws, ...args], { maxBuffer: 64 << 20 })).stdout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candela-cli-contract-'));
    ws = join(dir, 'ws');
    const gen = join(dir, 'gen');
    await candela('generate', '--symbols', '2', '--bars', '2000', '--timeframe', '1h', '--seed', '5', '--signal', '0.4', '--out', gen);
    await candela('import', gen, '--json');
    const run = JSON.parse(await candela('train', '--datasets', 'all', '--model', 'mlp', '--epochs', '1', '--window', '8', '--backend', 'cpu', '--json')) as { runId: number; status: string };
    expect(run.status).toBe('completed');
    runId = run.runId;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('candela eval --json is the report the Evaluation page reads, and --predictions writes one row per test sample', async () => {
    const predictions = join(dir, 'predictions.csv');
    const doc = JSON.parse(await candela('eval', String(runId), '--json', '--predictions', predictions)) as ReturnType<typeof evalJson>;
    const services = await createHeadlessServices(ws);
    try {
      const dispatch = createDispatcher(buildHandlers(), { services, transport: 'websocket' });
      const latest = await dispatch('evaluation.latest', { runId });
      if (!latest.ok) throw new Error(latest.error.message);
      const page = latest.value as { report: Parameters<typeof evalJson>[1] } | null;
      expect(page).not.toBeNull();
      expect(doc).toEqual(evalJson(runId, page!.report));
    } finally {
      await services.close();
    }
    const lines = readFileSync(predictions, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(['timestamp', 'symbol', 'y_true', 'y_pred', ...doc.classes.map((c) => `p_${c}`)].join(','));
    expect(lines.length - 1).toBe(doc.samples);
  });

  it('candela backtest --no-save reports and trades exactly what the stored backtest does', async () => {
    const flags = ['--fee-bps', '10', '--threshold', '0.4', '--stop-loss', '0.02'];
    const unsaved = JSON.parse(await candela('backtest', String(runId), ...flags, '--no-save', '--trades', join(dir, 'unsaved.csv'), '--json')) as { backtestId: number | null; portfolio: unknown; symbols: unknown };
    const saved = JSON.parse(await candela('backtest', String(runId), ...flags, '--trades', join(dir, 'saved.csv'), '--json')) as typeof unsaved;
    expect(unsaved.backtestId).toBeNull();
    expect(saved.backtestId).toEqual(expect.any(Number));
    expect(unsaved.portfolio).toEqual(saved.portfolio);
    expect(unsaved.symbols).toEqual(saved.symbols);
    const trades = readFileSync(join(dir, 'saved.csv'), 'utf8');
    expect(trades.split('\n').length).toBeGreaterThan(2);
    expect(readFileSync(join(dir, 'unsaved.csv'), 'utf8')).toBe(trades);
    expect(JSON.parse(await candela('backtest', String(runId), '--no-save', '--json')).backtestId).toBeNull();
  });

  it("candela eval puts the newest backtest's breakeven fee beside the verdict", async () => {
    const out = await candela('eval', String(runId));
    expect(out).toMatch(/^Verdict: .*\nAfter costs \(backtest #\d+, min confidence 40 %, portfolio return -?[\d.]+ %\): Breakeven taker fee: /m);
  });

  it('candela analyze prints the signal-quality and regime tables, and --json is the payload the Evaluation page reads', async () => {
    const text = await candela('analyze', String(runId));
    expect(text).toMatch(new RegExp(`^Run ${runId}: \\d+ test samples, score P\\(UP\\) − P\\(DOWN\\) against the forward log return over \\d+ bars?$`, 'm'));
    expect(text).toMatch(/^all symbols\s+\d+\s+-?\d\.\d{4}\s+-?\d\.\d{4}$/m);
    for (const heading of ['IC decay', 'Prediction bias', 'Volatility regime', 'Trend regime']) expect(text).toContain(heading);
    expect(text).toMatch(/^(low|medium|high)\s+\d+\s+[\d.]+ %\s+[\d.]+ %$/m);
    const doc = JSON.parse(await candela('analyze', String(runId), '--json')) as unknown;
    const services = await createHeadlessServices(ws);
    try {
      const dispatch = createDispatcher(buildHandlers(), { services, transport: 'websocket' });
      const page = await dispatch('evaluation.analytics', { runId });
      if (!page.ok) throw new Error(page.error.message);
      expect(doc).toEqual(page.value);
    } finally {
      await services.close();
    }
    await expect(candela('analyze', '999')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^candela: Run 999 does not exist\.\n$/) });
  });

  it('a refusal from the contract is one sentence and exit status 1', async () => {
    await expect(candela('eval', '999')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^candela: Run 999 does not exist\.\n$/) });
    await expect(candela('backtest', '999', '--no-save')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^candela: .*999/) });
  });
});
