import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src-shared/compute/random.js';
import { migrate } from '../db/connection.js';
import { setRunTags } from '../db/queries/runGroups.js';
import { hparams, listRunRows } from './runRows.js';

/**
 * A workspace of `n` finished runs, each with a stored evaluation (only the fields the Runs view
 * reads) and two epochs: what hundreds of runs look like to the list, without training any.
 * The metric depends on `lr` and not on `dropout`, so the importance has something to find.
 */
function workspace(n: number) {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const rng = mulberry32(5);
  const addRun = db.prepare("INSERT INTO runs (id, name, status, config_json, seed, created_at, checkpoint_dir) VALUES (?, ?, 'completed', ?, ?, 0, '/x')");
  const addDataset = db.prepare("INSERT INTO run_datasets (run_id, dataset_id, symbol, timeframe_ms, rows, source_hashes) VALUES (?, 1, 'BTC/USDT', 3600000, 1000, '[]')");
  const addEval = db.prepare("INSERT INTO evaluations (run_id, split, created_at, samples, report_json) VALUES (?, 'test', 0, 500, ?)");
  const addEpoch = db.prepare('INSERT INTO run_epochs (run_id, epoch, val_loss, val_acc) VALUES (?, ?, ?, ?)');
  const truth = new Map<number, { lr: number; accuracy: number }>();
  db.transaction(() => {
    for (let id = 1; id <= n; id++) {
      const lr = 10 ** (-4 + 2 * rng());
      const dropout = rng() * 0.5;
      const model = id % 3 ? 'gru' : 'mlp';
      const accuracy = 0.5 + 0.1 * (Math.log10(lr) + 4) / 2 + 0.005 * (rng() - 0.5);
      truth.set(id, { lr, accuracy });
      addRun.run(id, `${model} #${id}`, JSON.stringify({ datasetIds: [1], model, lr, dropout, seed: id, split: { train: 0.7, val: 0.15, test: 0.15 }, epochs: 2 }), id);
      addDataset.run(id);
      addEval.run(id, JSON.stringify({ classification: { accuracy, macro: { f1: accuracy - 0.01 } }, bootstrap: { accuracy: { lower: accuracy - 0.02, upper: accuracy + 0.02 } }, baselines: { majority: { accuracy: 0.5 } }, probabilistic: { logLoss: 0.69, brier: 0.5 } }));
      addEpoch.run(id, 1, 0.7, 0.5);
      addEpoch.run(id, 2, 0.69, accuracy);
    }
  })();
  return { db, truth };
}

describe('the Runs view over hundreds of runs', () => {
  it('lists 500 runs with their metrics read from the stored reports, filtered and sorted, ', () => {
    const { db, truth } = workspace(500);
    setRunTags(db, 7, ['best']);
    const all = listRunRows(db, '', { key: 'id', direction: 'desc' });
    expect(all.total).toBe(500);
    expect(all.rows[0]!.summary.id).toBe(500);
    const r7 = all.rows.find((r) => r.summary.id === 7)!;
    expect(r7.metrics.accuracy).toEqual({ value: truth.get(7)!.accuracy, low: truth.get(7)!.accuracy - 0.02, high: truth.get(7)!.accuracy + 0.02 });
    expect(r7.values.lr).toBe(truth.get(7)!.lr);
    expect(r7.tags).toEqual(['best']);
    const fast = listRunRows(db, 'model=gru lr<0.001', { key: 'accuracy', direction: 'desc' });
    const want = [...truth].filter(([id, t]) => id % 3 !== 0 && t.lr < 0.001).sort((a, b) => b[1].accuracy - a[1].accuracy).map(([id]) => id);
    expect(fast.rows.map((r) => r.summary.id)).toEqual(want);
    expect(() => listRunRows(db, '', { key: 'nonsense', direction: 'asc' })).toThrow(/cannot be sorted by "nonsense"/);
  });

  it('ranks lr above dropout for accuracy over the selected runs', () => {
    const { db } = workspace(80);
    const h = hparams(db, Array.from({ length: 80 }, (_, i) => i + 1), 'accuracy');
    const fields = h.dimensions.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['lr', 'dropout', 'seed', 'model']));
    const share = (f: string) => h.importance!.parameters.find((p) => p.field === f)!.share;
    expect(share('lr')).toBeGreaterThan(0.8);
    expect(share('dropout')).toBeLessThan(0.05);
    // model is a category: its values are indices into its sorted names.
    expect(h.dimensions.find((d) => d.field === 'model')).toMatchObject({ kind: 'category', categories: ['gru', 'mlp'] });
  });
});
