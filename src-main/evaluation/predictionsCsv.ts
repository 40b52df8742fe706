import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { ContractFailure } from '../../src-shared/contract/result.js';
import { readTestPredictions } from '../training/loop/artifactFiles.js';

/**
 * Writes one CSV row per test sample of a finished run (timestamp, symbol, y_true, y_pred,
 * p_<CLASS>…), from the same saved predictions the evaluation reads, so the metrics recompute
 * exactly from the file. Returns the number of rows.
 */
export async function writePredictionsCsv(checkpointDir: string, file: string): Promise<number> {
  let preds;
  try {
    preds = await readTestPredictions(join(checkpointDir, 'final'));
  } catch {
    throw new ContractFailure('NOT_FOUND', 'The run has no saved test predictions (its final model was not written).');
  }
  const classes = preds.classNames;
  const k = classes.length;
  const out = createWriteStream(file);
  out.write(['timestamp', 'symbol', 'y_true', 'y_pred', ...classes.map((c) => `p_${c}`)].join(',') + '\n');
  const n = preds.yTrue.length;
  for (let i = 0; i < n; i++) {
    const p = Array.from(preds.probs.subarray(i * k, i * k + k));
    let best = 0;
    for (let c = 1; c < k; c++) if (p[c]! > p[best]!) best = c;
    // float32 probabilities printed in full so the metrics recompute exactly from the file.
    const symbol = preds.symbols[preds.symbolIndex[i]!] ?? String(preds.symbolIndex[i]);
    const line = `${new Date(preds.ts[i]!).toISOString()},${symbol},${classes[preds.yTrue[i]!]},${classes[best]},${p.join(',')}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}
