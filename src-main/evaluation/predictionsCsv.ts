import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Db } from '../db/connection.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import { readFinishedRun } from './evaluateRun.js';
import { sampleSignals, type SampleSignals } from './runAnalytics.js';

/**
 * Writes one CSV row per test sample of a finished run (timestamp, symbol, y_true, y_pred,
 * p_<CLASS>…, score, forward_return, and predicted_log_return for a run with a magnitude head), from the same saved predictions the evaluation reads, so the
 * metrics recompute exactly from the file. `score` is P(UP) − P(DOWN) and `forward_return` the log
 * return ln(close_{t+h} / close_t) over the label horizon h (empty past the data's end): the pair
 * `evaluation.analytics` correlates for its IC, so IC and rank IC recompute from the file too.
 * Runs in the DB worker (it reads the candles). Returns the number of rows.
 */
export async function writePredictionsCsv(db: Db, runId: number, file: string): Promise<number> {
  let signals: { preds: SampleSignals['preds']; score: Float64Array | null; forward: Float64Array | null; magnitude?: Float64Array | null };
  try {
    const s = await sampleSignals(db, runId);
    signals = { preds: s.preds, score: s.score, forward: s.forward[0]!, magnitude: s.magnitude };
  } catch (e) {
    // A run without UP and DOWN classes has no score: its rows leave the two columns empty.
    if (!(e instanceof ContractFailure && e.code === 'CONFLICT')) throw e;
    signals = { preds: (await readFinishedRun(db, runId)).preds, score: null, forward: null };
  }
  const { preds, score, forward: fwd } = signals;
  // A run with a magnitude head also has its predicted forward log return, the other score the IC can use.
  const magnitude = signals.magnitude ?? (preds.magnitude ? Float64Array.from(preds.magnitude) : null);
  const classes = preds.classNames;
  const k = classes.length;
  const out = createWriteStream(file);
  out.write(['timestamp', 'symbol', 'y_true', 'y_pred', ...classes.map((c) => `p_${c}`), 'score', 'forward_return', ...(magnitude ? ['predicted_log_return'] : [])].join(',') + '\n');
  const n = preds.yTrue.length;
  for (let i = 0; i < n; i++) {
    const p = Array.from(preds.probs.subarray(i * k, i * k + k));
    let best = 0;
    for (let c = 1; c < k; c++) if (p[c]! > p[best]!) best = c;
    // float32 probabilities and float64 score/return printed in full (shortest round-trip form), so
    // the metrics recompute exactly from the file.
    const symbol = preds.symbols[preds.symbolIndex[i]!] ?? String(preds.symbolIndex[i]);
    const f = fwd && Number.isFinite(fwd[i]!) ? String(fwd[i]) : '';
    const line = `${new Date(preds.ts[i]!).toISOString()},${symbol},${classes[preds.yTrue[i]!]},${classes[best]},${p.join(',')},${score ? score[i] : ''},${f}${magnitude ? `,${magnitude[i]}` : ''}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}
