import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';

const bin = repoPath('bin/candela.mjs');

type Line = Record<string, unknown>;
type Doc = {
  backtestId: number | null;
  settingsLine: string;
  portfolio: Line;
  symbols: Line[];
  breakeven: { takerFeeBps: number | null; status: string; maxBps: number } | null;
  annualised: { testYears: number; sharpeInterval95: { lower: number; upper: number } | null; warning: string | null };
  sweep?: { threshold: number; portfolio: Line; symbols: Line[] }[];
};

describe('candela backtest (built CLI)', () => {
  if (!requirePrerequisite(builtFiles('dist/main/cli.mjs', 'dist/main/training-worker.mjs'))) return;
  let dir: string;
  let ws: string;
  let runId = 0;
  const candela = async (...args: string[]) => (await promisify(execFile)(process.execPath, [bin, '--workspace', ws, ...args], { maxBuffer: 64 << 20 })).stdout;
  const storedBacktests = () => {
    const db = new Database(join(ws, 'candela.db'), { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM backtests').pluck().get() as number;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candela-cli-bt-'));
    ws = join(dir, 'ws');
    const gen = join(dir, 'gen');
    await candela('generate', '--symbols', '2', '--bars', '2500', '--timeframe', '1h', '--seed', '3', '--signal', '0.4', '--out', gen);
    await candela('import', gen, '--json');
    const run = JSON.parse(await candela('train', '--datasets', 'all', '--model', 'mlp', '--epochs', '2', '--window', '8', '--backend', 'cpu', '--json')) as { runId: number; status: string };
    expect(run.status).toBe('completed');
    runId = run.runId;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const flags = ['--fee-bps', '10', '--slippage-bps', '2', '--long-only', '--stop-loss', '0.02', '--take-profit', '0.03', '--max-hold', '24'];

  it('--sweep rows equal plain --threshold backtests with the same flags, to the last digit; --no-save stores nothing', async () => {
    const before = storedBacktests();
    const doc = JSON.parse(await candela('backtest', String(runId), ...flags, '--sweep', '0,0.52,0.56', '--json')) as Doc;
    expect(doc.backtestId).toEqual(expect.any(Number));
    expect(storedBacktests()).toBe(before + 1);
    expect(doc.settingsLine).toMatch(/^fee 10 bps taker, 2 maker · slippage 2 bps · funding 0 · long only · min confidence 0 % · .* stop 2 %, target 3 % · max hold 24 bars$/);
    expect(doc.sweep!.map((r) => r.threshold)).toEqual([0, 0.52, 0.56]);
    // Two classes: every prediction is at least 50 % confident; above that, fewer trades pass.
    expect(doc.sweep![2]!.portfolio.trades as number).toBeLessThan(doc.sweep![0]!.portfolio.trades as number);
    let trades = 0;
    for (const row of doc.sweep!) {
      const plain = JSON.parse(await candela('backtest', String(runId), ...flags, '--threshold', String(row.threshold), '--no-save', '--json')) as Doc;
      expect(plain.backtestId).toBeNull();
      // Parsed JSON numbers are equal exactly when their printed digits are.
      expect(row.portfolio).toStrictEqual(plain.portfolio);
      expect(row.symbols).toStrictEqual(plain.symbols);
      trades += plain.portfolio.trades as number;
    }
    expect(trades).toBeGreaterThan(0);
    // The breakeven fee is the same whether the backtest is stored or not, and the short test says so.
    const unsaved = JSON.parse(await candela('backtest', String(runId), ...flags, '--no-save', '--json')) as Doc;
    expect(doc.breakeven).toMatchObject({ status: expect.stringMatching(/^(found|unprofitable-at-zero-cost|profitable-beyond-max)$/), maxBps: 1000 });
    expect(unsaved.breakeven).toStrictEqual(doc.breakeven);
    expect(doc.annualised.testYears).toBeGreaterThan(0);
    expect(doc.annualised.testYears).toBeLessThan(1);
    expect(doc.annualised.warning).toMatch(/^Test covers \d+ (days|months); annualised Sharpe, Sortino and CAGR are unreliable/);
    // Threshold 0 is the default, so that row is also the stored run's own result.
    expect(doc.sweep![0]!.portfolio).toStrictEqual(doc.portfolio);
    expect(storedBacktests()).toBe(before + 1);
  });

  it('prints the settings line and the sweep table', async () => {
    const before = storedBacktests();
    const out = await candela('backtest', String(runId), ...flags, '--sweep', '0.5,0.55', '--no-save');
    expect(out).toContain('Settings: fee 10 bps taker, 2 maker · slippage 2 bps · funding 0 · long only · min confidence 0 %');
    expect(out).toMatch(/Threshold sweep .*fee 10 bps taker/);
    expect(out).toMatch(/≥ 50\.0 %/);
    expect(out).toMatch(/≥ 55\.0 %/);
    expect(out).toContain('Not stored (--no-save).');
    // Money in one stated unit, the caveat of a short test and the breakeven fee.
    expect(out).toMatch(/fees \(% eq\.\)/);
    expect(out).toContain("Fees and funding are in % of each symbol's starting equity (1 in account currency).");
    expect(out).toMatch(/Test covers \d+ (days|months); annualised Sharpe/);
    expect(out).toMatch(/^Breakeven taker fee: /m);
    expect(storedBacktests()).toBe(before);
  });

  it('the table leaves the analytics out unless asked (--analytics); --json carries them unless --no-analytics', async () => {
    const plain = await candela('backtest', String(runId), '--no-save');
    expect(plain).toContain('Regimes, Monte Carlo, cost sensitivity and significance: add --analytics (or --json).');
    expect(plain).not.toMatch(/^Monte Carlo \(/m);
    const asked = await candela('backtest', String(runId), '--no-save', '--analytics', '--mc-paths', '200');
    expect(asked).toMatch(/^Monte Carlo \(trade bootstrap.*200 paths/m);
    expect(asked).toMatch(/^Breakeven round-trip cost: /m);
    expect(asked).not.toContain('add --analytics');
    const doc = JSON.parse(await candela('backtest', String(runId), '--no-save', '--mc-paths', '200', '--json')) as Record<string, unknown>;
    expect(doc).toHaveProperty('regimes');
    expect(doc).toHaveProperty('monteCarlo.paths', 200);
    expect(doc).toHaveProperty('costSensitivity');
    const without = JSON.parse(await candela('backtest', String(runId), '--no-save', '--no-analytics', '--json')) as Record<string, unknown>;
    expect(without).not.toHaveProperty('regimes');
  }, 120_000);

  it('--market-paths adds the market Monte Carlo (signals recomputed per path) to --json, seeded; it needs a stored backtest', async () => {
    const args = ['backtest', String(runId), '--no-analytics', '--market-paths', '3', '--block-length', '24', '--noise', '0.2', '--seed', '5', '--dd-threshold', '0.1', '--json'];
    type Market = { paths: number; blockLength: number; noise: number; seed: number; method: string; finalReturn: { p5: number; p50: number; p95: number }; probabilityDrawdownBeyond: number; computedAt: number; seconds: number; maxDrawdownSamples?: unknown };
    const a = (JSON.parse(await candela(...args)) as { marketMonteCarlo: Market }).marketMonteCarlo;
    const b = (JSON.parse(await candela(...args)) as { marketMonteCarlo: Market }).marketMonteCarlo;
    expect(a).toMatchObject({ paths: 3, blockLength: 24, noise: 0.2, seed: 5, method: expect.stringMatching(/signals recomputed/) });
    expect(a.finalReturn.p5).toBeLessThanOrEqual(a.finalReturn.p95);
    expect(a.maxDrawdownSamples).toBeUndefined();
    // Each command stores its own backtest (a new id); the same seed resamples the same market.
    expect({ ...b, backtestId: 0, computedAt: 0, seconds: 0 }).toStrictEqual({ ...a, backtestId: 0, computedAt: 0, seconds: 0 });
    await expect(candela('backtest', String(runId), '--no-analytics', '--no-save', '--market-paths', '3')).rejects.toThrow(/--market-paths resamples the market under a stored backtest; drop --no-save\./);
    await expect(candela('backtest', String(runId), '--no-analytics', '--market-paths', '0')).rejects.toThrow(/--market-paths: /);
  }, 120_000);
});
