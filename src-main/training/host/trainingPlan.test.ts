import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingConfigSchema, type TrainingConfigInput } from '../../../src-shared/contract/training.js';
import { buildHandlers, createDispatcher } from '../../ipc/dispatch.js';
import type { Services } from '../../services/createServices.js';
import { createHeadlessServices } from '../../../test-support/headlessServices.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A headered CSV with optional extra columns; a deterministic wiggle so every bar moves. */
function csv(n: number, stepMs: number, extras: string[] = []): string {
  const rows = [['timestamp', 'open', 'high', 'low', 'close', 'volume', ...extras].join(',')];
  let p = 50;
  for (let i = 0; i < n; i++) {
    const q = p * (1 + 0.003 * Math.sin(i * 1.3));
    rows.push([Date.UTC(2024, 0, 1) + i * stepMs, p, Math.max(p, q) + 0.01, Math.min(p, q) - 0.01, q, 10 + (i % 5), ...extras.map((_, k) => (i * (k + 1)) % 11)].join(','));
    p = q;
  }
  return rows.join('\n');
}

describe('the training plan: what a run over any mix of datasets trains on, decided before it starts', () => {
  let dir: string;
  let services: Services;
  let dispatch: ReturnType<typeof createDispatcher>;
  const id: Record<string, number> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candela-plan-'));
    services = await createHeadlessServices(join(dir, 'ws'));
    dispatch = createDispatcher(buildHandlers(), { services, transport: 'websocket' });
    const files = {
      // 1m bars for 6 days: rolled up to 1h at import (144 bars), with a funding column.
      'AAA_USDT_1m.csv': csv(6 * 24 * 60, MINUTE, ['funding', 'open_interest']),
      'BBB_USDT_1h.csv': csv(400, HOUR, ['funding']),
      'CCC_USDT_1d.csv': csv(200, DAY),
      'DDD_USDT_1h.csv': csv(30, HOUR),
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const job = await services.datasets.startImport(Object.keys(files).map((f) => join(dir, f)));
    const summary = await services.datasets.whenFinished(job.jobId);
    expect(summary.files.every((f) => f.ok)).toBe(true);
    for (const d of await services.db.listDatasets()) id[d.symbol.slice(0, 3)] = d.id;
  }, 60_000);
  afterAll(async () => {
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = (config: Omit<TrainingConfigInput, 'datasetIds'> & { datasets: string[] }) => {
    const { datasets, ...rest } = config;
    return services.training.plan(trainingConfigSchema.parse({ ...rest, datasetIds: datasets.map((s) => id[s]!) }));
  };

  it('trains at the coarsest chosen timeframe by default, rolling finer datasets up', async () => {
    const p = await plan({ datasets: ['AAA', 'BBB'], window: 8 });
    expect(p.problems).toEqual([]);
    expect(p.timeframe).toBe('1h');
    expect(p.timeframes.map((t) => t.timeframe)).toEqual(['1h', '4h', '1d', '1w']);
    const aaa = p.datasets.find((d) => d.id === id.AAA)!;
    expect(aaa).toMatchObject({ sourceTimeframe: '1m', rolledUp: true, bars: 144 });
    expect(p.datasets.find((d) => d.id === id.BBB)).toMatchObject({ sourceTimeframe: '1h', rolledUp: false, bars: 400 });
    for (const d of p.datasets) expect(Math.min(d.samples!.train, d.samples!.val, d.samples!.test)).toBeGreaterThan(0);
  });

  it('uses no extra column unless asked, and then only those every dataset has, saying why the others are left out', async () => {
    const off = await plan({ datasets: ['AAA', 'BBB'], window: 8 });
    expect(off.extraColumns).toEqual([]);
    expect(off.features.some((f) => f.startsWith('extra:'))).toBe(false);
    expect(off.extrasLeftOut.map((x) => x.column)).toEqual(['funding', 'open_interest']);
    const on = await plan({ datasets: ['AAA', 'BBB'], window: 8, includeExtras: true });
    expect(on.extraColumns).toEqual(['funding']);
    expect(on.features.at(-1)).toBe('extra:funding');
    expect(on.extrasLeftOut).toEqual([{ column: 'open_interest', reason: expect.stringMatching(/not in BBB\/USDT/) }]);
  });

  it('refuses a dataset coarser than the chosen timeframe in one sentence naming it', async () => {
    const p = await plan({ datasets: ['AAA', 'CCC'], timeframe: '1h', window: 8 });
    expect(p.timeframe).toBeNull();
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatch(/^CCC\/USDT \(1d\) is coarser than 1h .*choose 1d or coarser/);
    const r = await dispatch('training.start', { config: { datasetIds: [id.AAA, id.CCC], timeframe: '1h', window: 8 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(p.problems[0]);
  });

  it('catches a dataset too short for the window before a run is created', async () => {
    const p = await plan({ datasets: ['BBB', 'DDD'], window: 32 });
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatch(/^DDD\/USDT has 30 bars at 1h: too few for a window of 32 bars .*no samples/);
    const before = (await services.db.listRuns()).length;
    const r = await dispatch('training.start', { config: { datasetIds: [id.BBB, id.DDD], window: 32 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    expect((await services.db.listRuns()).length).toBe(before);
  });

  it('names two datasets of one symbol apart (spot and perpetual) in its rows and sentences', async () => {
    writeFileSync(join(dir, 'BBB_USDT_1d.csv'), csv(12, DAY));
    const job = await services.datasets.startImport([join(dir, 'BBB_USDT_1d.csv')], { symbol: 'BBB/USDT', kind: 'perpetual' });
    expect((await services.datasets.whenFinished(job.jobId)).files[0]!.ok).toBe(true);
    const perp = (await services.db.listDatasets()).find((d) => d.symbol === 'BBB/USDT' && d.kind === 'perpetual')!;
    const p = await services.training.plan(trainingConfigSchema.parse({ datasetIds: [id.BBB!, perp.id], window: 8 }));
    expect(p.datasets.map((d) => d.symbol)).toEqual([`BBB/USDT #${id.BBB}`, `BBB/USDT #${perp.id}`]);
    expect(p.problems).toContainEqual(expect.stringMatching(new RegExp(`^BBB/USDT #${perp.id} has 12 bars at 1d: too few .* a feature warm-up longer than that`)));
    expect(p.problems).toContainEqual(expect.stringMatching(new RegExp(`^BBB/USDT #${id.BBB} has 17 bars at 1d \\(rolled up from 1h\\)`)));
  });

  it('answers over the contract, and names a timeframe the datasets cannot reach', async () => {
    const r = await dispatch('training.plan', { config: { datasetIds: [id.AAA, id.BBB], timeframe: '30m', window: 8 } });
    expect(r.ok).toBe(true);
    if (r.ok) {
      const p = r.value as { timeframe: string | null; problems: string[] };
      expect(p.timeframe).toBeNull();
      expect(p.problems.join(' ')).toMatch(/BBB\/USDT \(1h\) is coarser than 30m/);
      expect(p.problems.join(' ')).toMatch(/AAA\/USDT \(1m\) has no 30m roll-up/);
    }
  });
});

describe('the training plan checks the model before a run exists', () => {
  it('names a model that cannot be built', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candela-plan-model-'));
    const services = await createHeadlessServices(join(dir, 'ws'));
    try {
      writeFileSync(join(dir, 'EEE_USDT_1h.csv'), csv(300, HOUR));
      const job = await services.datasets.startImport([join(dir, 'EEE_USDT_1h.csv')]);
      await services.datasets.whenFinished(job.jobId);
      const [d] = await services.db.listDatasets();
      const p = await services.training.plan(trainingConfigSchema.parse({ datasetIds: [d!.id], model: 'transformer', hidden: 30, window: 8 }));
      expect(p.problems).toEqual([expect.stringMatching(/^The TRANSFORMER model cannot be built: heads \(4\) must be a positive integer dividing hidden \(30\)\.$/)]);
    } finally {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
