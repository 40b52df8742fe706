import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../connection.js';
import { BATCH_HISTORY_CAP, batchPosition } from '../../../src-shared/contract/training.js';
import { batchCellEpochs, batchHistory, recordBatchPoint } from '../queries/runBatches.js';
import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-training-runs.js';
import { migration0003 } from './0003-evaluations.js';
import { migration0004 } from './0004-backtests.js';
import { migration0005 } from './0005-instruments.js';
import { migration0006 } from './0006-run-batches.js';

const before = [migration0001, migration0002, migration0003, migration0004, migration0005];

/** A version-5 workspace with one finished run and its epochs, as runs were stored before batch points. */
function version5Workspace() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
  db.prepare("INSERT INTO runs (id, name, status, config_json, seed, created_at, checkpoint_dir) VALUES (1, 'r', 'completed', '{}', 1, 0, '/x')").run();
  db.prepare('INSERT INTO run_epochs (run_id, epoch, train_loss) VALUES (1, 1, 0.69)').run();
  return db;
}

describe('0006-run-batches', () => {
  it('adds an empty batch series to existing runs and keeps their epochs', () => {
    const db = version5Workspace();
    expect(migrate(db, [...before, migration0006])).toBe(6);
    expect(batchHistory(db, 1)).toEqual([]);
    expect(db.prepare('SELECT train_loss FROM run_epochs WHERE run_id = 1').pluck().get()).toBe(0.69);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('stores batch points in order with their step, and deleting the run deletes them', () => {
    const db = version5Workspace();
    migrate(db, [...before, migration0006]);
    recordBatchPoint(db, 1, { epoch: 1, batch: 4, batches: 10, loss: 0.7, samplesPerSec: 900, at: 1000 });
    recordBatchPoint(db, 1, { epoch: 2, batch: 1, batches: 10, loss: null, samplesPerSec: null, at: 2000 });
    expect(batchHistory(db, 1)).toEqual([
      { epoch: 1, batch: 4, batches: 10, step: 4, loss: 0.7, samplesPerSec: 900, at: 1000 },
      { epoch: 2, batch: 1, batches: 10, step: 11, loss: null, samplesPerSec: null, at: 2000 },
    ]);
    expect(() => recordBatchPoint(db, 2, { epoch: 1, batch: 1, batches: 10, loss: 1, samplesPerSec: 1, at: 0 })).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM runs WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM run_batches').pluck().get()).toBe(0);
  });

  it('keeps at most the cap per run, spread evenly along the run', () => {
    const db = version5Workspace();
    migrate(db, [...before, migration0006]);
    // 40 epochs of 500 batches, one report every 3 batches: 6,667 reports for a cap of 2,000.
    const batches = 500;
    let reported = 0;
    for (let epoch = 1; epoch <= 40; epoch++) {
      for (let batch = 3; batch <= batches; batch += 3) {
        recordBatchPoint(db, 1, { epoch, batch, batches, loss: 1 / epoch, samplesPerSec: 1000, at: reported++ });
        expect(db.prepare('SELECT count(*) FROM run_batches').pluck().get()).toBeLessThanOrEqual(BATCH_HISTORY_CAP);
      }
    }
    const kept = batchHistory(db, 1);
    expect(kept.length).toBeGreaterThan(BATCH_HISTORY_CAP / 2);
    // Even: every cell of the final spacing (40 epochs → 1/32 epoch) holds exactly one point.
    const cell = batchCellEpochs(40);
    expect(cell).toBe(1 / 32);
    const cells = kept.map((p) => Math.floor(batchPosition(p) / cell));
    expect(new Set(cells).size).toBe(kept.length);
    expect(kept.length).toBe(Math.floor(40 / cell));
    // the run's first and last reports survive the thinning
    expect(kept[0]).toMatchObject({ epoch: 1, batch: 3 });
    expect(kept.at(-1)).toMatchObject({ epoch: 40 });
  });
});
