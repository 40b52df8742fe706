import { BATCH_HISTORY_CAP, batchPosition, type BatchPoint } from '../../../src-shared/contract/training.js';
import type { Db } from '../connection.js';

/**
 * The finest spacing kept between stored batch points, in epochs. Progress arrives ~10 times a
 * second; an epoch of a few seconds then keeps every report, a long one at most 256.
 */
const FINEST_CELL_EPOCHS = 1 / 256;

/**
 * The spacing of a run's batch points once it has reached `position` epochs: the finest power-of-two
 * multiple of {@link FINEST_CELL_EPOCHS} that fits the run so far into `cap` cells. It depends only
 * on how far the run has come, so a resumed run (even in a new host process) thins exactly as an
 * uninterrupted one would, with no state besides the rows.
 */
export function batchCellEpochs(position: number, cap: number = BATCH_HISTORY_CAP): number {
  let cell = FINEST_CELL_EPOCHS;
  while (position / cell >= cap) cell *= 2;
  return cell;
}

export type NewBatchPoint = Omit<BatchPoint, 'step'>;

/**
 * Records one batch report of a run, keeping at most one point per cell of the run's current
 * spacing (the first one reported). When a coarser spacing has pushed the row count past `cap`,
 * the run's older points are thinned to that spacing too, so the series stays even along the run
 * and bounded: at most `cap` rows. Returns whether the point was kept.
 */
export function recordBatchPoint(db: Db, runId: number, p: NewBatchPoint, cap: number = BATCH_HISTORY_CAP): boolean {
  const position = batchPosition(p);
  const cell = batchCellEpochs(position, cap);
  // CAST truncates toward zero, which is floor for a position ≥ 0, as Math.floor below.
  const bucket = 'CAST(position / @cell AS INTEGER)';
  return db.transaction(() => {
    const taken = db.prepare(`SELECT 1 FROM run_batches WHERE run_id = @runId AND ${bucket} = @cellIndex LIMIT 1`).get({ runId, cell, cellIndex: Math.floor(position / cell) });
    if (taken) return false;
    const info = db
      .prepare('INSERT INTO run_batches (run_id, epoch, batch, batches, step, position, loss, samples_per_sec, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(runId, p.epoch, p.batch, p.batches, (p.epoch - 1) * p.batches + p.batch, position, p.loss, p.samplesPerSec, p.at);
    if (info.changes !== 1) throw new Error(`run ${runId}: batch point not stored`);
    const count = db.prepare('SELECT count(*) FROM run_batches WHERE run_id = ?').pluck().get(runId) as number;
    if (count > cap) {
      db.prepare(`DELETE FROM run_batches WHERE run_id = @runId AND id NOT IN (SELECT min(id) FROM run_batches WHERE run_id = @runId GROUP BY ${bucket})`).run({ runId, cell });
    }
    return true;
  })();
}

/** A run's stored batch points along the run, oldest first. */
export function batchHistory(db: Db, runId: number): BatchPoint[] {
  return db
    .prepare('SELECT epoch, batch, batches, step, loss, samples_per_sec AS samplesPerSec, at FROM run_batches WHERE run_id = ? ORDER BY position, id')
    .all(runId) as BatchPoint[];
}
